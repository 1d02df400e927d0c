import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID } from 'type-graphql';

/**
 * The optional `idempotencyKey` of an input whose write a person may make offline: a UUID the client
 * makes once per write and sends with every retry (see `once` in idempotency-key.ts).
 */
export const IdempotencyKeyField = (): PropertyDecorator => (target, property) => {
  Field(() => ID, {
    nullable: true,
    description:
      'A UUID the client makes once per write it may send again (after a lost response, from an offline outbox): the same key from the same person gives the first result without writing again; with another payload, CONFLICT `IDEMPOTENCY_KEY_REUSED`.',
  })(target, property);
  IsOptional()(target, property as string);
  IsUUID()(target, property as string);
};
