import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnreplacedMacro } from './macro';

describe('isUnreplacedMacro', () => {
  const macros = [
    '{payout}',
    '{{payout}}',
    '${orderValue}',
    '${SUBID}',
    '{DeltaAmo unt}',
    '#s2#',
    '#S1#',
    '#s2##s3#',
    '[[sub2]]',
    '!!!clickref!!!',
    '%%click_id%%',
    '%product_price%',
    'REPLACE',
    'OPTIONAL',
    ' {payout} ',
    '%7Bpayout%7D',
    '%24%7BorderValue%7D',
    '%23s2%23',
    '%5B%5Bx%5D%5D',
    '%257Bpayout%257D',
    '{}',
  ];
  for (const value of macros) {
    it(`${JSON.stringify(value)} is a macro`, () => assert.equal(isUnreplacedMacro(value), true));
  }

  const values = [
    '016aee815478a1b2c3d4e5f6',
    'abc+def/==',
    '%41',
    '%%%',
    '0::12345::reference::::1405418672',
    'a{b}c',
    '12.50',
    'replace me',
    '#',
    '##',
    'x#s2#',
    'ab%cd',
    '%7B',
    '{payout',
    'user@example.com',
    '',
  ];
  for (const value of values) {
    it(`${JSON.stringify(value)} is a value`, () => assert.equal(isUnreplacedMacro(value), false));
  }
});
