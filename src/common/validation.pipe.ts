import { Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainException } from './domain.exception';

function collect(errors: ValidationError[], prefix: string, out: Record<string, string[]>): void {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = e.constraints.whitelistValidation ? ['is not a field of this body'] : Object.values(e.constraints);
    if (e.children?.length) collect(e.children, path, out);
  }
}

/**
 * class-validator on a body, naming each bad field (`destinations.0.weight`). `expectedType` is
 * given where the parameter's own type is generic (the shared CRUD controller).
 */
export function createValidationPipe(expectedType?: Type<unknown>): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    // SPEC §3: a field the contract does not name is a 400 naming it, never silently dropped.
    forbidNonWhitelisted: true,
    transform: true,
    expectedType,
    exceptionFactory: (errors) => {
      const fields: Record<string, string[]> = {};
      collect(errors, '', fields);
      return DomainException.invalid(fields);
    },
  });
}
