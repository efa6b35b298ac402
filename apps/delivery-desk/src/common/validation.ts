import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldProblem } from './api-error';

/** Flattens class-validator's tree into `lines[0].quantity`-style paths, one problem per constraint. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ path, problem: message });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, path));
  }
  return out;
}

/** The one validation pipe: strips nothing silently — unknown fields are errors, as are wrong types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    // One problem per field: the first failed constraint is the useful one.
    stopAtFirstError: true,
    exceptionFactory: (errors) => ApiError.validation(fieldProblems(errors)),
  });
}
