import { ArrayMaxSize, ArrayMinSize, IsIn } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Locale, Role } from './user.entity.js';

@InputType({ description: 'The signed-in person’s own settings.' })
export class PreferencesInput {
  @Field(() => Locale, { description: 'The language to read Consulta in.' })
  @IsIn(Object.values(Locale))
  language!: Locale;
}

@InputType({ description: 'A person’s roles, replacing the ones they have.' })
export class SetRolesInput {
  @Field(() => [Role], { description: 'One to four roles.' })
  @ArrayMinSize(1, { message: 'roles needs at least one role' })
  @ArrayMaxSize(4)
  @IsIn(Object.values(Role), { each: true })
  roles!: Role[];
}
