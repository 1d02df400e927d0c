import { IsEmail, IsIn, IsOptional, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { OrganizationKind } from '../organizations/organization.entity.js';
import { Locale } from '../users/user.entity.js';

@InputType({ description: 'An organization Consulta does not know yet, for a facilitator to approve.' })
export class NewOrganizationInput {
  @Field(() => String, { description: 'Its full name, 2 to 200 characters.' })
  @Length(2, 200)
  name!: string;

  @Field(() => OrganizationKind, { defaultValue: OrganizationKind.OTHER, description: 'What kind of body it is.' })
  @IsIn(Object.values(OrganizationKind))
  kind!: OrganizationKind;

  @Field(() => String, { nullable: true, description: 'Its country (ISO 3166-1 alpha-2); the person’s own when not given.' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter code' })
  country?: string | null;
}

@InputType({ description: 'A person signing themselves up.' })
export class SignUpInput {
  @Field(() => String, { description: 'The name shown with their comments, 2 to 200 characters.' })
  @Length(2, 200)
  name!: string;

  @Field(() => String, { description: 'Their e-mail address: where the confirmation link goes, and their sign-in name.' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email!: string;

  @Field(() => String, { description: 'The password; BAD_USER_INPUT on `password` when too short or too common.' })
  @MaxLength(1000)
  password!: string;

  @Field(() => String, { description: 'The country they are in (ISO 3166-1 alpha-2, e.g. PE).' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter code' })
  country!: string;

  @Field(() => Locale, { description: 'The language of their mail and pages.' })
  @IsIn(Object.values(Locale))
  language!: Locale;

  @Field(() => ID, { nullable: true, description: 'An organization Consulta knows, which they speak for.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @Field(() => NewOrganizationInput, { nullable: true, description: 'Or one it does not know yet: a facilitator approves it (they are an individual until then).' })
  @IsOptional()
  @ValidateNested()
  newOrganization?: NewOrganizationInput | null;

  @Field(() => String, { nullable: true, description: 'Leave empty. A field people never see, that form-filling robots do: anything here and nothing is done.' })
  @IsOptional()
  @MaxLength(1000)
  website?: string | null;
}

@InputType({ description: 'A new password chosen from a reset link.' })
export class ResetPasswordInput {
  @Field(() => String, { description: 'The token from the link.' })
  @Length(10, 100)
  token!: string;

  @Field(() => String, { description: 'The new password; BAD_USER_INPUT on `password` when too short or too common.' })
  @MaxLength(1000)
  password!: string;
}

@InputType({ description: 'The signed-in person’s name and language.' })
export class UpdateAccountInput {
  @Field(() => String, { description: 'The name shown with their comments from now on (earlier ones keep the name they were written under).' })
  @Length(2, 200)
  name!: string;

  @Field(() => Locale, { description: 'The language of their mail and pages.' })
  @IsIn(Object.values(Locale))
  language!: Locale;
}

@InputType({ description: 'A new password, with the current one.' })
export class ChangePasswordInput {
  @Field(() => String, { description: 'The current password; BAD_USER_INPUT `WRONG_PASSWORD` on `currentPassword` when wrong.' })
  @MaxLength(1000)
  currentPassword!: string;

  @Field(() => String, { description: 'The new password; BAD_USER_INPUT on `newPassword` when too short or too common.' })
  @MaxLength(1000)
  newPassword!: string;
}

@ObjectType({ description: 'One signed-in browser of mine.' })
export class AccountSession {
  @Field(() => String, { description: 'A short name for it (the start of its hash), to tell them apart.' })
  id!: string;
  @Field(() => Date, { description: 'When it signed in.' })
  createdAt!: Date;
  @Field(() => Date, { description: 'When it ends unless used to sign out sooner.' })
  expiresAt!: Date;
  @Field(() => Boolean, { description: 'True for the browser asking.' })
  current!: boolean;
}

@ObjectType({ description: 'An organization a person may choose at sign-up.' })
export class OrganizationChoice {
  @Field(() => ID, { description: 'The organization.' })
  id!: string;
  @Field(() => String, { description: 'Its name.' })
  name!: string;
  @Field(() => String, { description: 'Its country.' })
  country!: string;
}

@ObjectType({ description: 'The organizations a search finds at sign-up: the first by name, and how many it found.' })
export class SignUpOrganizationPage {
  @Field(() => [OrganizationChoice], { description: 'The first organizations by name.' })
  nodes!: OrganizationChoice[];
  @Field(() => Int, { description: 'How many organizations the search finds in all.' })
  totalCount!: number;
}
