/**
 * Render bench page: the app's real ChatView (composer, message list, follow-scroll), its real chat
 * store (IndexedDB saving included), fed by a fake engine that streams a recorded trace
 * (fake-engine.ts, aliased over src/engine/instance.ts by tools/bench/render-cost.ts's build).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useChatStore } from '../../../src/chat/chat-store.ts';
import { ChatView } from '../../../src/chat/ChatView.tsx';
import { useModelStore } from '../../../src/models/model-store.ts';
import '../../../src/app/theme.css';
import { rendererOf, type RenderBenchApi, type Update } from './api.ts';
import { setTrace, streamed } from './fake-engine.ts';

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

// The composer shows only once a model is ready; nothing loads, the fake engine answers.
useModelStore.setState({
  load: {
    status: 'ready',
    target: { name: 'Recorded trace', repo: 'bench/recorded-trace', revision: 'main' },
    info: { device: 'wasm', dtype: 'fp32', files: [], loadMs: 0, adapter: null, threads: 1, kvCache: 'per-step' },
  },
});

// Every store change of the streaming reply's token count: the update sequence of a run.
let updates: Update[] = [];
useChatStore.subscribe((state, previous) => {
  const tokens = state.conversation.messages.at(-1)?.generatedTokens ?? 0;
  if (state.generatingId && tokens !== (previous.conversation.messages.at(-1)?.generatedTokens ?? 0)) {
    updates.push({ at: performance.now(), tokens });
  }
});

const api: RenderBenchApi = {
  renderer: rendererOf(location.search),
  setTrace(pieces, schedule) {
    updates = [];
    setTrace(pieces, schedule);
  },
  updates: () => updates,
  async reset() {
    useChatStore.getState().newChat();
    await frame();
    await frame();
  },
  async done() {
    const result = await streamed();
    // The store's last update and React's commit land in the next tasks; two frames later they are painted.
    await frame();
    await frame();
    return result;
  },
};
(window as unknown as { renderBench: RenderBenchApi }).renderBench = api;

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <div className="main">
      <ChatView onPickModel={() => {}} />
    </div>
  </StrictMode>,
);
