import { useId, useState } from 'react';
import type { CosignerInput, MultisigScript } from '../../../shared/contract/multisig';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { AccountNameField } from '../accounts/AccountNameField';
import { ScanButton } from '../scan/ScanButton';
import { duplicateCosigners } from './duplicate-cosigners';
import './multisig.css';

type Kind = CosignerInput['kind'];

interface Row {
  kind: Kind;
  label: string;
  key: string;
  seedWalletId: string;
}

const SCRIPTS: readonly MultisigScript[] = ['wsh', 'sh-wsh', 'tr'];
const KINDS: readonly Kind[] = ['ledger', 'trezor', 'watch', 'seed'];

/**
 * A multisig vault: imported whole from another coordinator's file, or set up here from its
 * cosigners (a connected Ledger or Trezor, this computer's words, or a pasted key).
 */
export function VaultForm({
  seeds,
  onAdded,
}: {
  seeds: WalletSummary[];
  onAdded: (a: WalletSummary) => void;
}) {
  const t = useT();
  const [tab, setTab] = useState<'import' | 'create'>('create');
  return (
    <div className="stack" aria-label={t('multisig.form.title')}>
      <h3>{t('multisig.form.title')}</h3>
      <p className="hint">{t('multisig.form.explain')}</p>
      <div className="actions" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'create'} onClick={() => setTab('create')}>
          {t('multisig.form.tabCreate')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'import'} onClick={() => setTab('import')}>
          {t('multisig.form.tabImport')}
        </button>
      </div>
      {tab === 'import' ? <ImportVault onAdded={onAdded} /> : <CreateVault seeds={seeds} onAdded={onAdded} />}
    </div>
  );
}

function ImportVault({ onAdded }: { onAdded: (a: WalletSummary) => void }) {
  const t = useT();
  const flash = useFlash();
  const textId = useId();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const importIt = useAction(() =>
    flash.multisig.importWallet({ name: name.trim() || t('multisig.form.defaultName'), text: text.trim() }),
  );
  return (
    <form
      className="stack"
      aria-label={t('multisig.form.tabImport')}
      onSubmit={(e) => {
        e.preventDefault();
        void importIt.run().then((v) => v && onAdded(v.wallet));
      }}
    >
      <div className="field">
        <label htmlFor={textId}>{t('multisig.form.text')}</label>
        <textarea
          id={textId}
          rows={5}
          className="mono"
          spellCheck={false}
          value={text}
          placeholder="wsh(sortedmulti(2,[fp/48h/0h/0h/2h]xpub…/<0;1>/*,…))#…"
          onChange={(e) => setText(e.target.value)}
        />
        <p className="hint">{t('multisig.form.textHint')}</p>
      </div>
      <label className="field">
        <span>{t('multisig.form.load')}</span>
        <input
          type="file"
          accept=".txt,.json,.bsms,.descriptor,text/plain,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then(setText);
          }}
        />
      </label>
      <AccountNameField value={name} onChange={setName} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={importIt.busy || text.trim() === ''}>
          {t('multisig.form.submitImport')}
        </button>
      </div>
      <ErrorAlert error={importIt.error} />
    </form>
  );
}

function CreateVault({ seeds, onAdded }: { seeds: WalletSummary[]; onAdded: (a: WalletSummary) => void }) {
  const t = useT();
  const flash = useFlash();
  const [script, setScript] = useState<MultisigScript>('wsh');
  const [threshold, setThreshold] = useState(2);
  const [name, setName] = useState('');
  const emptyRow = (kind: Kind): Row => ({ kind, label: '', key: '', seedWalletId: seeds[0]?.id ?? '' });
  const [rows, setRows] = useState<Row[]>(() => [emptyRow('ledger'), emptyRow('trezor'), emptyRow('watch')]);
  const update = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const readDevice = useAction(async (i: number, vendor: 'ledger' | 'trezor') => {
    const list = await flash.hardware.listDevices({});
    if (!list.ok) return list;
    const device = list.value.devices.find((d) => d.vendor === vendor);
    if (!device) {
      return {
        ok: false as const,
        error: { code: 'HW_NO_DEVICE', message: t('multisig.form.noDevice', { vendor }) },
      };
    }
    const key = await flash.multisig.deviceCosigner({ deviceId: device.id, script, account: 0 });
    if (key.ok) update(i, { key: `[${key.value.fingerprint}${key.value.path.slice(1)}]${key.value.xpub}` });
    return key;
  });
  const create = useAction(() =>
    flash.multisig.createWallet({
      name: name.trim() || t('multisig.form.defaultName'),
      script,
      threshold,
      cosigners: rows.map((r, i): CosignerInput => {
        const label = r.label.trim() || t('multisig.form.cosigner', { n: i + 1 });
        return r.kind === 'seed'
          ? { kind: 'seed', label, seedWalletId: r.seedWalletId || (seeds[0]?.id ?? '') }
          : { kind: r.kind, label, key: r.key.trim() };
      }),
    }),
  );
  const duplicate = duplicateCosigners(create.error);
  const n = rows.length;
  const ready = rows.every((r) => (r.kind === 'seed' ? r.seedWalletId || seeds[0]?.id : r.key.trim() !== ''));
  return (
    <form
      className="stack"
      aria-label={t('multisig.form.tabCreate')}
      onSubmit={(e) => {
        e.preventDefault();
        void create.run().then((v) => v && onAdded(v.wallet));
      }}
    >
      <SelectField
        label={t('multisig.form.script')}
        value={script}
        options={SCRIPTS.map((s) => ({ value: s, label: t(`multisig.script.${s}`) }))}
        onChange={(e) => setScript(e.target.value as MultisigScript)}
      />
      <SelectField
        label={t('multisig.form.threshold')}
        value={String(Math.min(threshold, n))}
        options={Array.from({ length: n }, (_, i) => ({
          value: String(i + 1),
          label: t('multisig.form.thresholdOf', { k: i + 1, n }),
        }))}
        onChange={(e) => setThreshold(Number(e.target.value))}
      />
      <ol className="stack multisig-cosigners">
        {rows.map((r, i) => (
          <li key={i} className="card stack" aria-label={t('multisig.form.cosigner', { n: i + 1 })}>
            <strong>{t('multisig.form.cosigner', { n: i + 1 })}</strong>
            <SelectField
              label={t('multisig.form.kind')}
              value={r.kind}
              options={KINDS.filter((k) => k !== 'seed' || seeds.length > 0).map((k) => ({
                value: k,
                label: t(`multisig.kind.${k}`),
              }))}
              onChange={(e) =>
                update(i, {
                  kind: e.target.value as Kind,
                  key: '',
                  seedWalletId: r.seedWalletId || (seeds[0]?.id ?? ''),
                })
              }
            />
            <Field
              label={t('multisig.form.label')}
              value={r.label}
              maxLength={64}
              onChange={(e) => update(i, { label: e.target.value })}
            />
            {r.kind === 'seed' ? (
              <SelectField
                label={t('multisig.form.seedAccount')}
                value={r.seedWalletId || (seeds[0]?.id ?? '')}
                options={seeds.map((s) => ({ value: s.id, label: s.name }))}
                onChange={(e) => update(i, { seedWalletId: e.target.value })}
              />
            ) : (
              <>
                {(r.kind === 'ledger' || r.kind === 'trezor') && (
                  <div className="actions">
                    <button
                      type="button"
                      disabled={readDevice.busy}
                      onClick={() => void readDevice.run(i, r.kind as 'ledger' | 'trezor')}
                    >
                      {t('multisig.form.readDevice')}
                    </button>
                  </div>
                )}
                <Field
                  label={t('multisig.form.key')}
                  hint={t('multisig.form.keyHint')}
                  className="mono"
                  spellCheck={false}
                  value={r.key}
                  onChange={(e) => update(i, { key: e.target.value })}
                />
                {r.kind === 'watch' && (
                  <label className="field">
                    <span>{t('multisig.form.keyFile')}</span>
                    <input
                      type="file"
                      accept=".json,.txt,application/json,text/plain"
                      onChange={(e) => {
                        const file = e.target.files?.[0];
                        if (file) void file.text().then((text) => update(i, { key: text.trim() }));
                      }}
                    />
                  </label>
                )}
                {r.kind === 'watch' && (
                  // One line: the key field is a text input, and an animated UR's parts stay apart by spaces.
                  <ScanButton onText={(text) => update(i, { key: text.replace(/\s+/g, ' ').trim() })} />
                )}
              </>
            )}
            {n > 1 && (
              <div className="actions">
                <button type="button" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                  {t('multisig.form.removeCosigner')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      <ErrorAlert error={readDevice.error} />
      <div className="actions">
        <button type="button" disabled={n >= 15} onClick={() => setRows((rs) => [...rs, emptyRow('watch')])}>
          {t('multisig.form.addCosigner')}
        </button>
      </div>
      <AccountNameField value={name} onChange={setName} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={create.busy || !ready}>
          {t('multisig.form.submitCreate')}
        </button>
      </div>
      {duplicate ? (
        <Alert>{t('multisig.form.duplicateKey', duplicate)}</Alert>
      ) : (
        <ErrorAlert error={create.error} />
      )}
    </form>
  );
}
