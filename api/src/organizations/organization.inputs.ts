import { IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { OrganizationKind } from './organization.entity.js';

@InputType()
export class OrganizationInput {
  @Field(() => String)
  @Length(2, 200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 30)
  acronym?: string | null;

  @Field(() => OrganizationKind)
  @IsIn(Object.values(OrganizationKind))
  kind!: OrganizationKind;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 code, e.g. PE.' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO 3166-1 code, e.g. PE' })
  country!: string;
}
