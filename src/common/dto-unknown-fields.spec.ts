import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { DomainException } from './domain.exception';
import { createValidationPipe } from './validation.pipe';

/** Every controller of the app, loaded so that every body class it names registers its rules. */
function loadControllers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) loadControllers(path);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    else if (/\.(controller|dto)\.js$/.test(name)) require(path);
  }
}

type Ctor = new () => object;
// class-transformer's own registry of @Type() declarations (not in its public typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: { findTypeMetadata(target: Ctor, property: string): unknown };
};

async function problemsOf(type: Ctor, body: unknown): Promise<Record<string, string[]>> {
  try {
    await createValidationPipe(type).transform(body, { type: 'body', metatype: type });
  } catch (err) {
    if (err instanceof DomainException && err.fields) return err.fields;
    throw err;
  }
  return {};
}

describe('unknown fields in management bodies (SPEC §3)', () => {
  loadControllers(join(__dirname, '..', 'modules'));
  const targets = [...(getMetadataStorage() as unknown as { validationMetadatas: Map<Ctor, unknown[]> }).validationMetadatas.keys()].filter(
    (t): t is Ctor => typeof t === 'function',
  );

  it('finds the body classes (a walk over nothing would prove nothing)', () => {
    const names = targets.map((t) => t.name);
    for (const expected of ['CreateCampaignDto', 'SubscriptionDto', 'CreateApiKeyDto'])
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    assert.ok(targets.length >= 15, `only ${targets.length} validated classes found`);
  });

  it('every validated class refuses a field it does not name, naming it', async () => {
    for (const type of targets) {
      const problems = await problemsOf(type, { zzUnknownField: 1 });
      assert.deepEqual(problems.zzUnknownField, ['is not a field of this body'], `${type.name}: ${JSON.stringify(problems)}`);
    }
  });

  it('every nested object refuses unknown fields too, at its own path', async () => {
    let nested = 0;
    for (const type of targets) {
      const props = [
        ...new Set(
          (getMetadataStorage() as unknown as { validationMetadatas: Map<Ctor, { propertyName: string; type: string; each?: boolean }[]> }).validationMetadatas
            .get(type)!
            .filter((m) => m.type === 'nestedValidation')
            .map((m) => m.propertyName),
        ),
      ];
      for (const prop of props) {
        const typeMeta = defaultMetadataStorage.findTypeMetadata(type, prop);
        assert.ok(typeMeta, `${type.name}.${prop} is validated as nested but has no @Type: its unknown fields would pass`);
        const each = Reflect.getMetadata('design:type', type.prototype, prop) === Array;
        const problems = await problemsOf(type, { [prop]: each ? [{ zzUnknownField: 1 }] : { zzUnknownField: 1 } });
        const path = each ? `${prop}.0.zzUnknownField` : `${prop}.zzUnknownField`;
        assert.deepEqual(problems[path], ['is not a field of this body'], `${type.name}.${prop}: ${JSON.stringify(problems)}`);
        nested++;
      }
    }
    assert.ok(nested >= 4, `only ${nested} nested properties walked`);
  });
});
