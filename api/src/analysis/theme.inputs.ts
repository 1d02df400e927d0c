import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsUUID, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { CommentFilter } from '../comments/comment.inputs.js';
import { LocalizedTextInput } from '../i18n/localized-text.js';

@InputType({ description: 'A new theme, added at the end of the round’s list.' })
export class CreateThemeInput {
  @Field(() => ID, { description: 'The round the theme belongs to.' })
  @IsUUID()
  roundId!: string;

  @Field(() => LocalizedTextInput, { description: 'At least the framework’s source language; 80 characters at most per language.' })
  @ValidateNested()
  label!: LocalizedTextInput;
}

@InputType({ description: 'What changes in a theme; omitted fields stay.' })
export class UpdateThemeInput {
  @Field(() => LocalizedTextInput, { nullable: true, description: 'The new label; languages left out are removed. At least the framework’s source language.' })
  @IsOptional()
  @ValidateNested()
  label?: LocalizedTextInput | null;

  @Field(() => Int, { nullable: true, description: 'Its place in the round’s list, from 0; the others move.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  position?: number | null;
}

@InputType({ description: 'Which comments to tag or untag: the listed ones, or every comment of the round matching the filter.' })
export class TagCommentsInput {
  @Field(() => ID, { description: 'The round of the comments and themes.' })
  @IsUUID()
  roundId!: string;

  @Field(() => [ID], { description: 'The themes to add or remove, 1 to 50, all of the round.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  themeIds!: string[];

  @Field(() => [ID], { nullable: true, description: 'Top-level comments of the round; give these or `filter`.' })
  @IsOptional()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  commentIds?: string[] | null;

  @Field(() => CommentFilter, { nullable: true, description: 'Every top-level comment of the round the comment list shows with this filter.' })
  @IsOptional()
  @ValidateNested()
  filter?: CommentFilter | null;
}
