/**
 * Stands in for ChatView's `./MessageView` import in the render bench build (a Vite alias): the app's
 * own MessageView, or the naive baseline when the page was opened with `?renderer=naive`. Everything
 * around it (ChatView, scrolling, the store and its per-frame batching) is the app's.
 */
import { MessageView as AppMessageView } from '../../../src/chat/MessageView.tsx';
import { rendererOf } from './api.ts';
import { NaiveMessageView } from './NaiveMessageView.tsx';

export const MessageView = rendererOf(location.search) === 'naive' ? NaiveMessageView : AppMessageView;
