import { useEffect, useState } from 'react';
import { ChatView } from '../chat/ChatView';
import { LoadProgress } from '../models/LoadProgress';
import { useModelStore } from '../models/model-store';
import { Welcome } from '../models/Welcome';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';

export function App() {
  const status = useModelStore((s) => s.load.status);
  const detect = useModelStore((s) => s.detect);
  const [drawerOpen, setDrawerOpen] = useState(false);

  useEffect(() => {
    void detect();
  }, [detect]);

  return (
    <div className="app">
      <Sidebar open={drawerOpen} onClose={() => setDrawerOpen(false)} />
      <div className="main">
        <TopBar onMenu={() => setDrawerOpen((o) => !o)} />
        {status === 'ready' ? <ChatView /> : status === 'idle' ? <Welcome /> : <LoadProgress />}
      </div>
    </div>
  );
}
