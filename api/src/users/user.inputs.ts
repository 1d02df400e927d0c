import { ArrayMaxSize, ArrayMinSize, IsIn } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Locale, Role } from './user.entity.js';

@InputType()
export class PreferencesInput {
  @Field(() => Locale)
  @IsIn(Object.values(Locale))
  language!: Locale;
}

@InputType()
export class SetRolesInput {
  @Field(() => [Role])
  @ArrayMinSize(1, { message: 'roles needs at least one role' })
  @ArrayMaxSize(4)
  @IsIn(Object.values(Role), { each: true })
  roles!: Role[];
}
