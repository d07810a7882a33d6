import { describe, expect, it } from 'vitest';
import { capNote, cappedMaxNewTokens, MIN_REPLY_TOKENS, replyCap } from './reply-cap';

describe('reply cap', () => {
  it('leaves a model without memory facts uncapped', () => {
    expect(replyCap(null, 5000)).toBeNull();
    expect(cappedMaxNewTokens(32_768, null)).toBe(32_768);
  });

  it('is the fitted context less the prompt, keeping at least 1,024 tokens for it', () => {
    expect(replyCap(16_384)).toBe(15_360);
    expect(replyCap(16_384, 300)).toBe(15_360);
    expect(replyCap(16_384, 5000)).toBe(11_384);
    expect(replyCap(2048, 3000)).toBe(MIN_REPLY_TOKENS);
  });

  it('only ever lowers the setting', () => {
    expect(cappedMaxNewTokens(32_768, 15_360)).toBe(15_360);
    expect(cappedMaxNewTokens(4096, 15_360)).toBe(4096);
  });

  it('says what the cap is and why', () => {
    expect(capNote(16_384)).toBe(
      'Capped at 15,360 on this device: about 16k tokens fit in its memory (an estimate), and the conversation so far takes some of them.',
    );
  });

  it('names a server`s context and where the server took it from', () => {
    expect(capNote(32_768, 'vLLM --max-model-len')).toBe(
      'Capped at 31,744: the server’s context is 32k tokens (vLLM --max-model-len), and the conversation so far takes some of them.',
    );
  });
});
