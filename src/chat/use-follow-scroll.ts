import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

const SLACK_PX = 48;

/** Follows new content while the reader is at the bottom; stops as soon as they scroll up. */
export function useFollowScroll(content: unknown) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const following = useRef(true);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX;
      following.current = bottom;
      setAtBottom(bottom);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [content]);

  const jumpToLatest = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    following.current = true;
    setAtBottom(true);
    el.scrollTop = el.scrollHeight;
  }, []);

  return { scrollRef, atBottom, jumpToLatest };
}
