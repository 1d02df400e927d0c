import { ArrayMaxSize, ArrayMinSize, IsEmail, IsIn, IsOptional, IsUUID, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Locale, Role } from '../users/user.entity.js';
import { Invitation } from './invitation.entity.js';

@InputType()
export class SignInInput {
  @Field(() => String)
  @MaxLength(320)
  email!: string;

  @Field(() => String)
  @MaxLength(200)
  password!: string;
}

@InputType()
export class InviteInput {
  @Field(() => String)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email!: string;

  @Field(() => String)
  @Length(2, 200)
  name!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @Field(() => [Role], { defaultValue: [Role.STAKEHOLDER] })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(Object.values(Role), { each: true })
  roles!: Role[];

  @Field(() => Locale, { defaultValue: Locale.ES })
  @IsIn(Object.values(Locale))
  language!: Locale;
}

@InputType()
export class AcceptInvitationInput {
  @Field(() => String)
  @Length(10, 100)
  token!: string;

  @Field(() => String)
  @MaxLength(1000)
  password!: string;

  @Field(() => String, { nullable: true, description: 'The name to use, if not the one the invitation gave.' })
  @IsOptional()
  @Length(2, 200)
  name?: string | null;
}

@ObjectType({ description: 'A new invitation, with its link when no mail server is configured.' })
export class InvitationReceipt {
  @Field(() => Invitation)
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
  @Field(() => String)
  email!: string;
  @Field(() => String)
  name!: string;
  @Field(() => String, { nullable: true })
  organizationName?: string | null;
  @Field(() => Locale)
  language!: Locale;
  @Field(() => Date)
  expiresAt!: Date;
}
