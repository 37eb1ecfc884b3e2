import { ValidationOptions, registerDecorator } from 'class-validator';
import { AMOUNT_PATTERN } from './money';

/** SPEC §1: a JSON amount is a number or a decimal string; stored exactly. */
export function IsAmount(options?: ValidationOptions & { positive?: boolean }) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a decimal amount such as 12.50`, ...options },
      validator: {
        validate(value: unknown) {
          const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
          if (typeof text !== 'string' || !AMOUNT_PATTERN.test(text.trim())) return false;
          return !options?.positive || !text.trim().startsWith('-');
        },
      },
    });
}

export function amountText(value: string | number): string {
  return String(value).trim();
}
