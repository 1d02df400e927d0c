import { IsBoolean, IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { OrganizationKind } from './organization.entity.js';

@InputType({ description: 'An organization’s details, all given each time.' })
export class OrganizationInput {
  @Field(() => String, { description: 'Its full name, 2 to 200 characters.' })
  @Length(2, 200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Its short name, up to 30 characters; null for none.' })
  @IsOptional()
  @Length(1, 30)
  acronym?: string | null;

  @Field(() => OrganizationKind, { description: 'What kind of body it is.' })
  @IsIn(Object.values(OrganizationKind))
  kind!: OrganizationKind;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 code, e.g. PE.' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO 3166-1 code, e.g. PE' })
  country!: string;

  @Field(() => Boolean, { nullable: true, description: 'Whether it is an accredited certification body (its people may review assessments); unchanged when omitted, not accredited for a new one.' })
  @IsOptional()
  @IsBoolean()
  accredited?: boolean | null;
}
