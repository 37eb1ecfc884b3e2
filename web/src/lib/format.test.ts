import { describe, expect, it } from 'vitest';
import { formatDuration, formatMetric } from './format';

describe('formatMetric', () => {
  it('shows a duration in its two largest units, and nothing as a dash', () => {
    expect(formatDuration(45.4)).toBe('45s');
    expect(formatDuration(200)).toBe('3m 20s');
    expect(formatDuration(5 * 3600 + 125)).toBe('5h 02m');
    expect(formatDuration(2 * 86400 + 4 * 3600 + 59)).toBe('2d 04h');
    expect(formatMetric('duration', 200)).toBe('3m 20s');
    expect(formatMetric('duration', null)).toBe('—');
    expect(formatMetric('ratio', 0.5)).toBe('50.00%');
  });
});
