import { ArrayMaxSize, ArrayMinSize, IsEmail, IsIn, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Locale, Role } from '../users/user.entity.js';
import { Invitation } from './invitation.entity.js';

@InputType({ description: 'An e-mail address and password.' })
export class SignInInput {
  @Field(() => String, { description: 'The account’s e-mail address, in any case.' })
  @MaxLength(320)
  email!: string;

  @Field(() => String, { description: 'The account’s password.' })
  @MaxLength(200)
  password!: string;
}

@InputType({ description: 'Who to invite, and as what.' })
export class InviteInput {
  @Field(() => String, { description: 'Where the single-use link goes; also the person’s sign-in name.' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email!: string;

  @Field(() => String, { description: 'The person’s name, 2 to 200 characters; they may change it when they accept.' })
  @Length(2, 200)
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The organization they speak for; none for an individual.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @Field(() => [Role], { defaultValue: [Role.STAKEHOLDER], description: 'The roles they get on joining.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(Object.values(Role), { each: true })
  roles!: Role[];

  @Field(() => Locale, { defaultValue: Locale.ES, description: 'The language of the invitation e-mail and of their account.' })
  @IsIn(Object.values(Locale))
  language!: Locale;
}

@InputType({ description: 'A password chosen from an invitation link.' })
export class AcceptInvitationInput {
  @Field(() => String, { description: 'The token from the invitation link.' })
  @Length(10, 100)
  token!: string;

  @Field(() => String, { description: 'The new password; BAD_USER_INPUT on `password` when too short or too common.' })
  @MaxLength(1000)
  password!: string;

  @Field(() => String, { nullable: true, description: 'The name to use, if not the one the invitation gave.' })
  @IsOptional()
  @Length(2, 200)
  name?: string | null;
}

@ObjectType({ description: 'A new invitation, with its link when no mail server is configured.' })
export class InvitationReceipt {
  @Field(() => Invitation, { description: 'The invitation made.' })
  invitation!: Invitation;

  @Field(() => Boolean, { description: 'True when the link was e-mailed.' })
  emailed!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The single-use link, shown only to the facilitator when mail is not configured.',
  })
  link?: string | null;
}

@ObjectType({ description: 'What the accept-invitation page shows before the person sets a password.' })
export class InvitationPreview {
  @Field(() => String, { description: 'The invited address.' })
  email!: string;
  @Field(() => String, { description: 'The name the invitation gives.' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'The organization they join; null for an individual.' })
  organizationName?: string | null;
  @Field(() => Locale, { description: 'The language to show the page in.' })
  language!: Locale;
  @Field(() => Date, { description: 'When the link stops working.' })
  expiresAt!: Date;
}
