import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { defaultThreads, threadSupport, type ThreadChoice } from '../engine/threads';
import { ConnectServer, ResumeNotice } from '../remote/ConnectServer';
import { useStorageStore } from '../storage/storage-store';
import { formatBytes } from '../util/format';
import { CATALOG, type CatalogModel } from './catalog';
import { CapabilityCard } from './CapabilityCard';
import { contextLine, fitModel } from './fit';
import { useModelStore, type DeviceChoice, type ModelTarget } from './model-store';
import './models.css';

const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

/** Asks the browser to keep the weights (Window-only API), then starts the load without waiting. */
function useStartLoad(): (target: ModelTarget) => void {
  const loadModel = useModelStore((s) => s.loadModel);
  const requestPersistence = useStorageStore((s) => s.requestPersistence);
  return (target) => {
    void requestPersistence();
    void loadModel(target);
  };
}

function ModelCard({ model }: { model: CatalogModel }) {
  const capability = useModelStore((s) => s.capability);
  const deviceChoice = useModelStore((s) => s.deviceChoice);
  const estimate = useStorageStore((s) => s.estimate);
  const stored = useStorageStore((s) => s.models.find((m) => m.repo === model.repo && m.revision === model.revision));
  const start = useStartLoad();
  const id = useId();
  if (!capability) return null;
  const fit = fitModel(
    model,
    { capability, availableStorage: estimate ? Math.max(0, estimate.quota - estimate.usage) : null },
    deviceChoice,
    stored?.bytes ?? 0,
  );
  const download = stored?.complete ? 'stored on this device' : `${formatBytes(fit.download)} download`;
  const context = contextLine(fit);
  return (
    <li className="model-card" data-testid="model-card" data-fit={fit.ok ? 'yes' : 'no'}>
      <div>
        <h3>{model.name}</h3>
        <p className="muted">{model.blurb}</p>
        <p className="muted provenance">{model.provenance}</p>
        <p className="facts muted">
          {fit.dtype ? `${fit.dtype} · ${download} · ${fit.device === 'webgpu' ? 'GPU' : 'CPU'}` : 'No weights for this device'} · {model.license} ·{' '}
          {(model.contextLength / 1024).toFixed(0)}k context
        </p>
        <ul id={`${id}-fit`} className={fit.ok ? 'fit muted' : 'fit error'} data-testid="fit">
          {context && (
            <li className="fits" data-testid="fits-context">
              <strong>{context.head}</strong> {context.detail}
            </li>
          )}
          {(fit.ok ? fit.notes : fit.reasons).map((text) => (
            <li key={text}>{fit.ok ? text : `Does not fit: ${text}`}</li>
          ))}
        </ul>
      </div>
      <button
        type="button"
        className="button primary"
        disabled={!fit.ok}
        aria-describedby={`${id}-fit`}
        onClick={() => start({ name: model.name, repo: model.repo, revision: model.revision, device: fit.device, ...(fit.dtype ? { dtype: fit.dtype } : {}), ...(model.folder ? { folder: model.folder } : {}) })}
      >
        Load
      </button>
    </li>
  );
}

export function Welcome() {
  const refreshStorage = useStorageStore((s) => s.refresh);
  const openStorage = useStorageStore((s) => s.openScreen);
  const stored = useStorageStore((s) => s.models.length);

  useEffect(() => {
    void refreshStorage();
  }, [refreshStorage]);

  return (
    <div className="scroll">
      <div className="column welcome">
        <h1>Think it through, privately.</h1>
        <p className="lede">
          Ponder runs DeepSeek-R1 reasoning models on your own GPU, inside this tab. The model downloads once and is kept on
          this device; after that it works offline and nothing you type is sent anywhere.
        </p>
        <ResumeNotice />
        <CapabilityCard />
        <h2>Choose a model</h2>
        <ul className="model-list">
          {CATALOG.map((m) => (
            <ModelCard key={m.id} model={m} />
          ))}
        </ul>
        <ConnectServer />
        {stored > 0 && (
          <p>
            <button type="button" className="button" onClick={openStorage}>
              Manage stored models
            </button>
          </p>
        )}
        <Advanced />
      </div>
    </div>
  );
}

function Advanced() {
  const host = useModelStore((s) => s.host);
  const setHost = useModelStore((s) => s.setHost);
  const deviceChoice = useModelStore((s) => s.deviceChoice);
  const setDeviceChoice = useModelStore((s) => s.setDeviceChoice);
  const start = useStartLoad();
  const [repo, setRepo] = useState('');
  const [folder, setFolder] = useState('');
  const [hostDraft, setHostDraft] = useState(host);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = repo.trim();
    if (!REPO_ID.test(id)) {
      setProblem('A model id looks like "organisation/name", for example onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX.');
      return;
    }
    setProblem(null);
    const path = folder.trim().replace(/^\/+|\/+$/g, '');
    start({ name: path ? `${id}/${path}` : id, repo: id, revision: 'main', ...(path ? { folder: path } : {}) });
  };

  return (
    <details className="advanced">
      <summary>Advanced: model host, backend, custom model</summary>
      <div className="field">
        <label htmlFor={`${ids}-host`}>Model host</label>
        <input
          id={`${ids}-host`}
          type="url"
          value={hostDraft}
          onChange={(e) => setHostDraft(e.target.value)}
          onBlur={() => {
            try {
              const url = new URL(hostDraft);
              setHost(url.href.replace(/\/+$/, ''));
            } catch {
              setHostDraft(host);
            }
          }}
        />
        <p className="hint muted">The Hugging Face hub, or a mirror with the same layout.</p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-device`}>Backend</label>
        <select id={`${ids}-device`} value={deviceChoice} onChange={(e) => setDeviceChoice(e.target.value as DeviceChoice)}>
          <option value="auto">Automatic (WebGPU when available)</option>
          <option value="webgpu">WebGPU (GPU)</option>
          <option value="wasm">WASM (CPU, slow)</option>
        </select>
      </div>
      <ThreadsField />
      <form className="field custom-model" onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-repo`}>Custom model id</label>
        <input
          id={`${ids}-repo`}
          value={repo}
          placeholder="organisation/model-ONNX"
          onChange={(e) => setRepo(e.target.value)}
          aria-invalid={problem !== null}
          aria-describedby={`${ids}-repo-hint`}
        />
        <label htmlFor={`${ids}-folder`}>Folder in the repository (optional)</label>
        <div className="row">
          <input
            id={`${ids}-folder`}
            value={folder}
            placeholder="deepseek-r1-distill-qwen-7B/gpu/gpu-int4-rtn-block-32"
            onChange={(e) => setFolder(e.target.value)}
            aria-describedby={`${ids}-repo-hint`}
          />
          <button type="submit" className="button">
            Load custom
          </button>
        </div>
        <p id={`${ids}-repo-hint`} className={problem ? 'hint error' : 'hint muted'} role={problem ? 'alert' : undefined}>
          {problem ??
            'A transformers.js ONNX export of a causal language model (onnx/model*.onnx and a tokenizer), or an ONNX Runtime GenAI build (genai_config.json): give the folder that holds it when it is not at the root.'}
        </p>
      </form>
    </details>
  );
}

/** The WebAssembly thread count; without cross-origin isolation there is one, and the hint says why. */
function ThreadsField() {
  const threadChoice = useModelStore((s) => s.threadChoice);
  const setThreadChoice = useModelStore((s) => s.setThreadChoice);
  const support = useMemo(() => threadSupport(), []);
  const id = useId();
  const counts = Array.from({ length: support.cores }, (_, i) => i + 1);
  const onChange = (value: string) => setThreadChoice((value === 'auto' ? 'auto' : Number(value)) as ThreadChoice);
  return (
    <div className="field">
      <label htmlFor={`${id}-threads`}>CPU threads</label>
      <select
        id={`${id}-threads`}
        value={support.isolated ? String(threadChoice) : '1'}
        onChange={(e) => onChange(e.target.value)}
        disabled={!support.isolated}
        aria-describedby={`${id}-threads-hint`}
      >
        {support.isolated && (
          <option value="auto">
            Automatic ({defaultThreads(support.cores)} of {support.cores} cores)
          </option>
        )}
        {(support.isolated ? counts : [1]).map((n) => (
          <option key={n} value={n}>
            {n === 1 ? '1 thread' : `${n} threads`}
          </option>
        ))}
      </select>
      <p id={`${id}-threads-hint`} className="hint muted" data-testid="threads-hint">
        {support.isolated
          ? 'For the WASM backend, and the parts of a WebGPU model that run on the CPU. Applies from the next model load.'
          : `WebAssembly runs on one thread here. ${support.reason ?? ''}`}
      </p>
    </div>
  );
}
