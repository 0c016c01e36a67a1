import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/conversation/content.js';
import { Understander } from '../../src/understanding/understand.js';

const understander = new Understander(loadFlows());
const span = (text: string) => understander.understand(text).span;

describe('a span of time in a message (durations in flows/lang)', () => {
  it('reads a count and a unit as days, in English and Spanish', () => {
    expect(span('hace 2 meses')).toBe(60);
    expect(span('hace 2 meses, más de unas semanas')).toBe(60);
    expect(span('like 3 weeks ago')).toBe(21);
    expect(span('2 months, more than a few weeks')).toBe(60);
    expect(span('unos dias')).toBe(3);
    expect(span('unos días')).toBe(3);
    expect(span('a couple of weeks ago')).toBe(14);
    expect(span('hace un par de semanas')).toBe(14);
    expect(span('hace quince dias')).toBe(15);
    expect(span('a year ago')).toBe(365);
    expect(span('hace un año')).toBe(365);
  });

  it('puts "less than" just under and "more than" just over the span', () => {
    expect(span('less than a few weeks')).toBe(20);
    expect(span('more than a few weeks')).toBe(22);
    expect(span('menos de 3 semanas')).toBe(20);
    expect(span('más de unas semanas')).toBe(22);
    expect(span('no más de una semana')).toBe(6);
  });

  it('reads no span without a count, or in words that only look like one', () => {
    expect(span('months ago')).toBeUndefined();
    expect(span('hace meses')).toBeUndefined();
    expect(span('what do i bring')).toBeUndefined();
    expect(span('weeks')).toBeUndefined();
    expect(span('500 days')).toBeUndefined();
  });
});
