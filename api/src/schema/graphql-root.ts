/**
 * A plain row made an instance of the entity class its GraphQL type is declared on, so that
 * type-graphql hands it to field resolvers as it is.
 *
 * For any root that is not an instance, type-graphql gives every `@FieldResolver` a copy:
 * `Object.assign(new Type(), row)`. For an entity that runs the constructor's initializers through
 * MikroORM's property accessors, about 8 µs for an indicator and 25 µs for a comment, for each
 * field resolved: milliseconds on a page of comments or a round of indicators. The row's own
 * properties shadow the accessors. It is for reading only and is never handed to the ORM, so it
 * must carry every property its resolvers read.
 */
export function graphqlRoot<Row extends object>(type: abstract new (...args: never[]) => object, row: Row): Row {
  return Object.setPrototypeOf(row, type.prototype);
}
