import { useId, useState, type FormEvent } from 'react';
import { useModelStore } from '../models/model-store';
import { CopyButton } from '../render/CopyButton';
import { normalizeBaseUrl, PRESET_LIST, PRESETS, type EngineId } from './presets';
import { listModels } from './remote-engine';
import { lastServer, originOf, probeServer, problemOf, saveServer, storedKey, type Problem } from './server-connection';
import './remote.css';

/**
 * After a reload while connected: reconnecting, or why that failed and a way to try again. The first
 * screen shows it above everything else, since the person expects to be back on their server.
 */
export function ResumeNotice() {
  const resume = useModelStore((s) => s.resume);
  const resumeServer = useModelStore((s) => s.resumeServer);
  if (!resume) return null;
  const { server } = resume;
  const where = `${PRESETS[server.preset].label} at ${server.baseUrl} (${server.model})`;
  return (
    <section className="connect-server" aria-label="Last server" data-testid="resume-server">
      {resume.status === 'connecting' ? (
        <p className="hint muted" role="status">
          Reconnecting to {where}…
        </p>
      ) : (
        <>
          <p className="hint error" role="alert">
            Could not reconnect to {where}. {resume.message}
          </p>
          {resume.detail && (
            <details>
              <summary>Details</summary>
              <pre className="error-detail">{resume.detail}</pre>
            </details>
          )}
          <p>
            <button type="button" className="button primary" onClick={() => void resumeServer()}>
              Reconnect
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/** The first screen's second way in: a model on an inference server the person runs (or pays for). */
export function ConnectServer() {
  const connectServer = useModelStore((s) => s.connectServer);
  const [initial] = useState(lastServer);
  const [presetId, setPresetId] = useState<EngineId>(initial?.preset ?? 'vllm');
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? PRESETS[initial?.preset ?? 'vllm'].baseUrl);
  const [apiKey, setApiKey] = useState(() => storedKey(initial?.baseUrl ?? PRESETS[initial?.preset ?? 'vllm'].baseUrl));
  const [model, setModel] = useState(initial?.model ?? '');
  const [models, setModels] = useState<string[] | null>(null);
  const [busy, setBusy] = useState<'models' | 'connect' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const ids = useId();
  const preset = PRESETS[presetId];
  const origin = typeof location === 'undefined' ? '<origin>' : location.origin;
  const command = preset.startCommand(origin);

  const choosePreset = (id: EngineId) => {
    setPresetId(id);
    setBaseUrl(PRESETS[id].baseUrl);
    setApiKey(storedKey(PRESETS[id].baseUrl));
    setModel('');
    setModels(null);
    setProblem(null);
    setNote(null);
  };

  const fetchModels = async (): Promise<string[] | null> => {
    setBusy('models');
    setProblem(null);
    setNote(null);
    try {
      const list = await listModels({ baseUrl, engine: presetId, ...(apiKey ? { apiKey } : {}) });
      setModels(list);
      if (list.length > 0 && !list.includes(model)) setModel(list[0] ?? '');
      setNote(
        list.length === 0
          ? 'The server listed no models: type the model’s name below.'
          : `The server offers ${list.length === 1 ? '1 model' : `${list.length} models`}: pick one below.`,
      );
      return list;
    } catch (error) {
      setProblem(problemOf(error));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = model.trim();
    if (!originOf(baseUrl)) {
      setProblem({ message: `"${baseUrl}" is not a web address. Enter one like ${preset.baseUrl}.` });
      return;
    }
    if (preset.apiKey === 'required' && !apiKey.trim()) {
      setProblem({ message: `${preset.label} needs an API key: paste it into the API key field.` });
      return;
    }
    if (!name) {
      setProblem({ message: 'Enter the model’s name, or press “Fetch models” to pick one the server offers.' });
      return;
    }
    setBusy('connect');
    setProblem(null);
    const server = { preset: presetId, baseUrl: normalizeBaseUrl(baseUrl), model: name };
    const key = apiKey.trim();
    const blocked = await probeServer(server, key);
    if (blocked) {
      setProblem(blocked);
      setBusy(null);
      return;
    }
    saveServer(server, key);
    await connectServer(server, key);
    setBusy(null);
  };

  return (
    <details className="connect-server" data-testid="connect-server">
      <summary>Connect a server: vLLM, SGLang, Ollama, llama.cpp, LM Studio or DeepSeek’s API</summary>
      <p className="hint muted">
        For the bigger distills (14B, 32B, 70B) or R1 itself. Your questions then go to that server; the chats stay in this browser.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={`${ids}-problem`}>
        <div className="field">
          <label htmlFor={`${ids}-engine`}>Engine</label>
          <select id={`${ids}-engine`} value={presetId} onChange={(e) => choosePreset(e.target.value as EngineId)}>
            {PRESET_LIST.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span className="label" id={`${ids}-command-label`}>
            {preset.id === 'deepseek' ? 'What you need' : 'Start it with'}
          </span>
          <div className="command">
            <pre aria-labelledby={`${ids}-command-label`} data-testid="start-command" tabIndex={0}>
              <code>{command}</code>
            </pre>
            <CopyButton text={command} label="Copy command" />
          </div>
          <p className="hint muted">{preset.corsHint(origin)}</p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-url`}>Server address</label>
          <input
            id={`${ids}-url`}
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            value={baseUrl}
            onChange={(e) => {
              setBaseUrl(e.target.value);
              if (originOf(e.target.value) !== originOf(baseUrl)) setApiKey(storedKey(e.target.value));
            }}
            aria-describedby={`${ids}-url-hint`}
          />
          <p id={`${ids}-url-hint`} className="hint muted">
            The base address, without /v1. {preset.label} listens on {preset.baseUrl} by default.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-key`}>{preset.apiKey === 'required' ? 'API key' : 'API key (optional)'}</label>
          <input
            id={`${ids}-key`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            aria-describedby={`${ids}-key-hint`}
          />
          <p id={`${ids}-key-hint`} className="hint muted">
            Kept in this browser for this server’s address only, and sent only to it. It is never saved in chats, exports or share links.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-model`}>Model</label>
          <div className="row">
            <input
              id={`${ids}-model`}
              // Suggestions while the server's list is unknown; once fetched, the select below offers it.
              list={models && models.length > 0 ? undefined : `${ids}-models`}
              spellCheck={false}
              autoComplete="off"
              value={model}
              placeholder={preset.models[0]}
              onChange={(e) => setModel(e.target.value)}
              aria-describedby={`${ids}-model-hint`}
            />
            <button type="button" className="button" onClick={() => void fetchModels()} disabled={busy !== null}>
              {busy === 'models' ? 'Fetching…' : 'Fetch models'}
            </button>
          </div>
          <datalist id={`${ids}-models`}>
            {preset.models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          {models && models.length > 0 && (
            <select aria-label="Models on the server" value={models.includes(model) ? model : ''} onChange={(e) => setModel(e.target.value)}>
              {!models.includes(model) && <option value="">Typed above: {model || 'none'}</option>}
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
          <p id={`${ids}-model-hint`} className="hint muted" aria-live="polite">
            {note ?? `The name the server knows the model by, for example ${preset.models[0]}.`}
          </p>
        </div>
        <div id={`${ids}-problem`} className="connect-problem" role="alert">
          {problem && (
            <>
              <p className="hint error">{problem.message}</p>
              {problem.detail && (
                <details>
                  <summary>Details</summary>
                  <pre className="error-detail">{problem.detail}</pre>
                </details>
              )}
            </>
          )}
        </div>
        <p>
          <button type="submit" className="button primary" disabled={busy !== null}>
            {busy === 'connect' ? 'Connecting…' : 'Connect'}
          </button>
        </p>
      </form>
    </details>
  );
}
