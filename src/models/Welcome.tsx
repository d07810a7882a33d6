import { useId, useState, type FormEvent } from 'react';
import { formatBytes } from '../util/format';
import { CATALOG, dtypePreference } from './catalog';
import { CapabilityCard } from './CapabilityCard';
import { resolveDevice, useModelStore, type DeviceChoice } from './model-store';
import './models.css';

const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

export function Welcome() {
  const capability = useModelStore((s) => s.capability);
  const deviceChoice = useModelStore((s) => s.deviceChoice);
  const loadModel = useModelStore((s) => s.loadModel);
  const device = resolveDevice(deviceChoice, capability);
  const preferred = dtypePreference(device, capability?.shaderF16 ?? false);

  return (
    <div className="scroll">
      <div className="column welcome">
        <h1>Think it through, privately.</h1>
        <p className="lede">
          Ponder runs DeepSeek-R1 reasoning models on your own GPU, inside this tab. The model downloads once and is kept on
          this device; after that it works offline and nothing you type is sent anywhere.
        </p>
        <CapabilityCard />
        <h2>Choose a model</h2>
        <ul className="model-list">
          {CATALOG.map((m) => {
            const dtype = preferred.find((d) => m.sizes[d] !== undefined);
            return (
              <li key={m.id} className="model-card">
                <div>
                  <h3>{m.name}</h3>
                  <p className="muted">{m.blurb}</p>
                  <p className="facts muted">
                    {dtype ? `${dtype} · ${formatBytes(m.sizes[dtype] ?? 0)} download` : 'No weights for this device'} · {m.license} ·{' '}
                    {(m.contextLength / 1024).toFixed(0)}k context
                  </p>
                </div>
                <button
                  type="button"
                  className="button primary"
                  disabled={!dtype}
                  onClick={() => void loadModel({ name: m.name, repo: m.repo, revision: m.revision })}
                >
                  Load
                </button>
              </li>
            );
          })}
        </ul>
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
  const loadModel = useModelStore((s) => s.loadModel);
  const [repo, setRepo] = useState('');
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
    void loadModel({ name: id, repo: id, revision: 'main' });
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
      <form className="field" onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-repo`}>Custom model id</label>
        <div className="row">
          <input
            id={`${ids}-repo`}
            value={repo}
            placeholder="organisation/model-ONNX"
            onChange={(e) => setRepo(e.target.value)}
            aria-invalid={problem !== null}
            aria-describedby={`${ids}-repo-hint`}
          />
          <button type="submit" className="button">
            Load custom
          </button>
        </div>
        <p id={`${ids}-repo-hint`} className={problem ? 'hint error' : 'hint muted'} role={problem ? 'alert' : undefined}>
          {problem ?? 'An ONNX export of a causal language model (with onnx/model*.onnx and a tokenizer).'}
        </p>
      </form>
    </details>
  );
}
