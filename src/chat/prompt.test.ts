import { describe, expect, it } from 'vitest';
import { toTurns } from './prompt';

describe('toTurns', () => {
  it('drops the reasoning of earlier assistant turns as the R1 template does', () => {
    const turns = toTurns([
      { role: 'user', content: 'What is 2+3?' },
      { role: 'assistant', content: 'Adding.\n</think>\n\nThe sum is 5.' },
      { role: 'user', content: 'And times 2?' },
    ]);
    expect(turns).toEqual([
      { role: 'user', content: 'What is 2+3?' },
      { role: 'assistant', content: '\n\nThe sum is 5.' },
      { role: 'user', content: 'And times 2?' },
    ]);
  });

  it('keeps a reply that never closed its thinking whole, like split()[-1] does', () => {
    expect(toTurns([{ role: 'assistant', content: 'still thinking' }])).toEqual([{ role: 'assistant', content: 'still thinking' }]);
  });

  it('never touches user text, even if it mentions </think>', () => {
    expect(toTurns([{ role: 'user', content: 'a </think> b' }])[0]?.content).toBe('a </think> b');
  });
});
