import { useEffect, useState } from 'react';
import { useChatStore } from '../chat/chat-store';
import { ChatView } from '../chat/ChatView';
import { LoadProgress } from '../models/LoadProgress';
import { useModelStore } from '../models/model-store';
import { Welcome } from '../models/Welcome';
import { OfflineNotice } from '../pwa/OfflineNotice';
import { startServiceWorker } from '../pwa/register';
import { UpdatePrompt } from '../pwa/UpdatePrompt';
import { SharedTranscriptPage } from '../share/SharedTranscriptPage';
import { useSharedSource } from '../share/shared-source';
import { StorageScreen } from '../storage/StorageScreen';
import { useStorageStore } from '../storage/storage-store';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';

export function App() {
  const status = useModelStore((s) => s.load.status);
  const detect = useModelStore((s) => s.detect);
  const initChats = useChatStore((s) => s.init);
  const hasMessages = useChatStore((s) => s.conversation.messages.length > 0);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const shared = useSharedSource();
  const storageOpen = useStorageStore((s) => s.open);

  useEffect(startServiceWorker, []);
  const [picking, setPicking] = useState(false);

  useEffect(() => {
    void detect();
    void initChats();
  }, [detect, initChats]);

  // Stored chats can be read without a model; the model picker shows when there is nothing to read.
  let view;
  if (status === 'loading' || status === 'error') view = <LoadProgress />;
  else if (status === 'ready' || status === 'remote' || (hasMessages && !picking)) view = <ChatView onPickModel={() => setPicking(true)} />;
  else view = <Welcome />;
  if (storageOpen) view = <StorageScreen />;

  // A share link (#share=...) or an opened transcript file shows read-only, in place of the app.
  if (shared) return <SharedTranscriptPage source={shared} />;

  return (
    <div className="app">
      <Sidebar open={drawerOpen} onClose={() => setDrawerOpen(false)} />
      <div className="main">
        <TopBar onMenu={() => setDrawerOpen((o) => !o)} />
        <UpdatePrompt />
        <OfflineNotice />
        {view}
      </div>
    </div>
  );
}
