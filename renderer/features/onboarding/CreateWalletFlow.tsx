import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { MnemonicDraft, WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { NetworkNote } from '../../components/NetworkNote';
import { WordGrid } from '../../components/WordGrid';
import { useT } from '../../i18n';
import { PassphraseField } from './PassphraseField';

type WordCount = 12 | 24;

interface Props {
  network: Network;
  onDone: (wallet: WalletSummary) => void;
  onCancel: () => void;
}

/**
 * New wallet: pick a length, see the words once, type some back. The words exist only in this
 * component's state and are dropped as soon as main confirms the wallet.
 */
export function CreateWalletFlow({ network, onDone, onCancel }: Props) {
  const flash = useFlash();
  const [draft, setDraft] = useState<MnemonicDraft | null>(null);
  const [step, setStep] = useState<'words' | 'confirm'>('words');
  const createDraft = useAction(
    useCallback((wordCount: WordCount) => flash.wallet.createDraft({ wordCount }), [flash]),
  );

  const start = async (wordCount: WordCount) => {
    const next = await createDraft.run(wordCount);
    if (next) {
      setDraft(next);
      setStep('words');
    }
  };

  if (!draft) {
    return (
      <ChooseLength
        network={network}
        busy={createDraft.busy}
        error={createDraft.error}
        onChoose={start}
        onCancel={onCancel}
      />
    );
  }
  if (step === 'words') {
    return <ShowWords words={draft.words} onWritten={() => setStep('confirm')} onCancel={onCancel} />;
  }
  return (
    <ConfirmWords
      draft={draft}
      onBack={() => setStep('words')}
      onConfirmed={(wallet) => {
        setDraft(null);
        onDone(wallet);
      }}
    />
  );
}

function ChooseLength(props: {
  network: Network;
  busy: boolean;
  error: unknown;
  onChoose: (count: WordCount) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [count, setCount] = useState<WordCount>(12);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChoose(count);
      }}
    >
      <h1>{t('create.title')}</h1>
      <NetworkNote network={props.network} />
      <fieldset className="radio-group">
        <legend>{t('create.lengthLegend')}</legend>
        {([12, 24] as const).map((n) => (
          <label key={n} className="radio">
            <input
              type="radio"
              name="word-count"
              value={n}
              checked={count === n}
              onChange={() => setCount(n)}
            />
            {t('create.wordsOption', { count: n })}
          </label>
        ))}
        <p className="hint">{t('create.lengthHint')}</p>
      </fieldset>
      <ErrorAlert error={props.error} />
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {t('common.back')}
        </button>
        <button type="submit" className="button-primary" disabled={props.busy}>
          {t('common.continue')}
        </button>
      </div>
    </form>
  );
}

function ShowWords({
  words,
  onWritten,
  onCancel,
}: {
  words: string[];
  onWritten: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  return (
    <div className="stack">
      <h1>{t('create.wordsTitle')}</h1>
      <div className="warning-panel">
        <p>
          <strong>{t('create.wordsWarning')}</strong>
        </p>
        <p>{t('create.wordsOnce')}</p>
        <p className="hint">{t('breez.words')}</p>
      </div>
      <WordGrid words={words} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button-primary" onClick={onWritten}>
          {t('create.written')}
        </button>
      </div>
    </div>
  );
}

function ConfirmWords(props: {
  draft: MnemonicDraft;
  onBack: () => void;
  onConfirmed: (w: WalletSummary) => void;
}) {
  const { draft, onBack, onConfirmed } = props;
  const t = useT();
  const flash = useFlash();
  const [checks, setChecks] = useState<Record<number, string>>({});
  const [name, setName] = useState(() => t('wallet.defaultName'));
  const [passphrase, setPassphrase] = useState('');
  const confirm = useAction(
    useCallback(
      (input: { checks: { index: number; word: string }[]; name: string; passphrase: string }) =>
        flash.wallet.confirmDraft({ draftId: draft.draftId, ...input }),
      [flash, draft.draftId],
    ),
  );
  const indexes = [...draft.confirmIndexes].sort((a, b) => a - b);
  const complete = indexes.every((i) => (checks[i] ?? '').trim() !== '') && name.trim() !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const wallet = await confirm.run({
      checks: indexes.map((index) => ({ index, word: (checks[index] ?? '').trim().toLowerCase() })),
      name: name.trim(),
      passphrase,
    });
    if (wallet) {
      setChecks({});
      setPassphrase('');
      onConfirmed(wallet);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h1>{t('create.confirmTitle')}</h1>
      <p>{t('create.confirmIntro')}</p>
      <div className="confirm-words">
        {indexes.map((index) => (
          <Field
            key={index}
            label={t('create.wordNumber', { n: index + 1 })}
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            value={checks[index] ?? ''}
            onChange={(e) => setChecks((c) => ({ ...c, [index]: e.target.value }))}
          />
        ))}
      </div>
      <Field
        label={t('wallet.nameLabel')}
        value={name}
        maxLength={64}
        onChange={(e) => setName(e.target.value)}
      />
      <PassphraseField value={passphrase} onChange={setPassphrase} />
      <ErrorAlert error={confirm.error} />
      <div className="actions">
        <button type="button" onClick={onBack}>
          {t('create.showAgain')}
        </button>
        <button type="submit" className="button-primary" disabled={!complete || confirm.busy}>
          {t('common.confirm')}
        </button>
      </div>
    </form>
  );
}
