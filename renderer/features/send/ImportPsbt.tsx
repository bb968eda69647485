import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { SubmitCancel } from '../../components/FormActions';
import { useT } from '../../i18n';
import { ScanButton } from '../scan/ScanButton';
import { bytesToBase64 } from './send-text';
import { SendErrorAlert } from './SendErrorAlert';

const PSBT_MAGIC = [0x70, 0x73, 0x62, 0x74, 0xff];

/** A .psbt file: binary (the usual form) becomes base64; a text file is taken as it is. */
async function readPsbtFile(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const binary = PSBT_MAGIC.every((b, i) => bytes[i] === b);
  return binary ? bytesToBase64(bytes) : new TextDecoder().decode(bytes).trim();
}

/** "Import PSBT": paste base64 (or hex) or open a .psbt file, e.g. signed on an air-gapped device. */
export function ImportPsbt(props: {
  walletId: string;
  onDraft: (draft: SendDraft) => void;
  onCancel: () => void;
}) {
  const { walletId, onDraft, onCancel } = props;
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const importPsbt = useAction(flash.send.importPsbt);
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') return;
    const draft = await importPsbt.run({ walletId, data: text.trim() });
    if (draft) onDraft(draft);
  };
  return (
    <form className="card stack send-import" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('send.import.title')}</h2>
      <p className="hint">{t('sendtools.import.explain')}</p>
      <div className="field">
        <label htmlFor={`${id}-psbt`}>{t('send.import.label')}</label>
        <textarea
          id={`${id}-psbt`}
          className="mono"
          rows={6}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <ScanButton onText={setText} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('send.import.file')}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".psbt,application/octet-stream,text/plain"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setFileError(false);
            readPsbtFile(file).then(setText, () => setFileError(true));
          }}
        />
        {fileError && <p className="hint hint-error">{t('send.import.fileError')}</p>}
      </div>
      <SendErrorAlert error={importPsbt.error} />
      <SubmitCancel
        label={t('send.form.review')}
        disabled={importPsbt.busy || text.trim() === ''}
        onCancel={onCancel}
      />
    </form>
  );
}
