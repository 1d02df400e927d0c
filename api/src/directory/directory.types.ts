import { ArrayMaxSize, IsEnum, IsIn, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Organization, OrganizationKind } from '../organizations/organization.entity.js';
import { Role, User } from '../users/user.entity.js';
import { DirectoryPageInfo } from './directory-page.js';

export enum PersonStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(PersonStatus, {
  name: 'PersonStatus',
  description: 'Whether an account may sign in.',
  valuesConfig: { ACTIVE: { description: 'It may sign in.' }, INACTIVE: { description: 'Suspended or deleted: no session opens.' } },
});

@InputType({ description: 'Which people to list; every criterion given must hold.' })
export class PeopleFilter {
  @Field(() => String, { nullable: true, description: 'Part of the name or e-mail, any case.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;

  @Field(() => Role, { nullable: true, description: 'Holding this role (as given, not by implication).' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role | null;

  @Field(() => String, { nullable: true, description: 'Of an organization in this country (ISO 3166-1 alpha-2).' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/)
  country?: string | null;

  @Field(() => ID, { nullable: true, description: 'Of this organization.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @Field(() => PersonStatus, { nullable: true, description: 'Active or not.' })
  @IsOptional()
  @IsIn(Object.values(PersonStatus))
  status?: PersonStatus | null;
  @Field(() => [ID], { nullable: true, description: 'Only these people (at most 200): a picker shows the ones already chosen.' })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsUUID(undefined, { each: true })
  ids?: string[] | null;
}

@ObjectType({ description: 'A page of people, by name.' })
export class PeoplePage {
  @Field(() => [User], { description: 'The people, by name.' }) nodes!: User[];
  @Field(() => DirectoryPageInfo, { description: 'Cursors for the pages around.' }) pageInfo!: DirectoryPageInfo;
  @Field(() => Int, { description: 'How many people the filter selects in all.' }) totalCount!: number;
}

@InputType({ description: 'Which organizations to list; every criterion given must hold.' })
export class OrganizationFilter {
  @Field(() => String, { nullable: true, description: 'Part of the name or acronym, any case.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'In this country (ISO 3166-1 alpha-2).' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/)
  country?: string | null;

  @Field(() => OrganizationKind, { nullable: true, description: 'Of this kind.' })
  @IsOptional()
  @IsEnum(OrganizationKind)
  kind?: OrganizationKind | null;
  @Field(() => [ID], { nullable: true, description: 'Only these organizations (at most 200): a picker shows the ones already chosen.' })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsUUID(undefined, { each: true })
  ids?: string[] | null;
}

@ObjectType({ description: 'A page of organizations, by name.' })
export class OrganizationPage {
  @Field(() => [Organization], { description: 'The organizations, by name.' }) nodes!: Organization[];
  @Field(() => DirectoryPageInfo, { description: 'Cursors for the pages around.' }) pageInfo!: DirectoryPageInfo;
  @Field(() => Int, { description: 'How many organizations the filter selects in all.' }) totalCount!: number;
}
