import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './url.redactor';

describe('redactUrl', () => {
  it('hides the values of secret-looking parameters and keeps the rest', () => {
    assert.equal(
      redactUrl('https://ts.example/pb?clickid=abc&token=s3cret&payout=1.5&api_key=k&x_sig=zz#frag'),
      'https://ts.example/pb?clickid=abc&token=[redacted]&payout=1.5&api_key=[redacted]&x_sig=[redacted]#frag',
    );
    assert.equal(redactUrl('https://ts.example/pb?%74oken=s3cret'), 'https://ts.example/pb?%74oken=[redacted]');
    assert.equal(redactUrl('https://ts.example/pb'), 'https://ts.example/pb');
    assert.equal(redactUrl('https://ts.example/pb?monkey=1&keyword=2'), 'https://ts.example/pb?monkey=1&keyword=2');
  });
});
