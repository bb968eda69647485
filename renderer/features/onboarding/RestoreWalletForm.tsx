import { useCallback, useId, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { AccountType, WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { NetworkNote } from '../../components/NetworkNote';
import { useT } from '../../i18n';
import { accountTypeOptions } from '../accounts/account-labels';
import { PassphraseField } from './PassphraseField';
import type { RestoreWordCount, WordState } from './recovery-words';
import {
  isValidPhrase,
  normalizeWord,
  RESTORE_WORD_COUNTS,
  splitWords,
  suggestionsFor,
  uniqueCompletion,
  wordCountFor,
  wordState,
} from './recovery-words';

interface Props {
  network: Network;
  onDone: (wallet: WalletSummary) => void;
  onCancel: () => void;
}

const MAX_WORDS = 24;

/** Restore from recovery words: live per-word checks, checksum check, paste-all support. */
export function RestoreWalletForm({ network, onDone, onCancel }: Props) {
  const t = useT();
  const flash = useFlash();
  const listId = useId();
  const [count, setCount] = useState<RestoreWordCount>(12);
  const [words, setWords] = useState<string[]>(() => Array<string>(MAX_WORDS).fill(''));
  const [focused, setFocused] = useState<number | null>(null);
  const [name, setName] = useState(() => t('wallet.defaultName'));
  const [passphrase, setPassphrase] = useState('');
  const [accountType, setAccountType] = useState<AccountType>('bip84');
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const restore = useAction(
    useCallback(
      (input: { words: string[]; passphrase: string; name: string; accountType: AccountType }) =>
        flash.wallet.restore(input),
      [flash],
    ),
  );

  const active = words.slice(0, count);
  const states = active.map(wordState);
  const allValid = states.every((s) => s === 'valid');
  const checksumOk = allValid && isValidPhrase(active);
  const invalidCount = states.filter((s) => s === 'invalid').length;

  const fillFrom = (start: number, parts: string[]) => {
    const needed = wordCountFor(Math.min(MAX_WORDS, start + parts.length));
    if (start === 0 && (RESTORE_WORD_COUNTS as readonly number[]).includes(parts.length)) {
      setCount(parts.length as RestoreWordCount);
    } else if (needed > count) {
      setCount(needed);
    }
    setWords((prev) => {
      const next = [...prev];
      parts.slice(0, MAX_WORDS - start).forEach((w, k) => (next[start + k] = w));
      return next;
    });
    const last = Math.min(MAX_WORDS, start + parts.length) - 1;
    inputs.current[last]?.focus();
  };

  const onWordChange = (i: number) => (e: ChangeEvent<HTMLInputElement>) => {
    const raw = e.target.value;
    const parts = splitWords(raw);
    if (parts.length > 1) return fillFrom(i, parts);
    const word = normalizeWord(raw);
    setWords((prev) => prev.map((w, k) => (k === i ? word : w)));
    // A space after a whole word moves on, like on paper.
    if (/\s$/.test(raw) && wordState(word) === 'valid') inputs.current[i + 1]?.focus();
  };

  const completeOnBlur = (i: number) => {
    setFocused(null);
    const completion = uniqueCompletion(words[i] ?? '');
    if (completion) setWords((prev) => prev.map((w, k) => (k === i ? completion : w)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!checksumOk || name.trim() === '') return;
    const wallet = await restore.run({ words: active, passphrase, name: name.trim(), accountType });
    if (wallet) {
      setWords(Array<string>(MAX_WORDS).fill(''));
      setPassphrase('');
      onDone(wallet);
    }
  };

  const suggestions = focused === null ? [] : suggestionsFor(words[focused] ?? '');

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h1>{t('restore.title')}</h1>
      <p>{t('restore.intro')}</p>
      <p className="hint">{t('breez.words')}</p>
      <NetworkNote network={network} />
      <SelectField
        label={t('restore.countLabel')}
        value={String(count)}
        onChange={(e) => setCount(Number(e.target.value) as RestoreWordCount)}
        options={RESTORE_WORD_COUNTS.map((n) => ({
          value: String(n),
          label: t('create.wordsOption', { count: n }),
        }))}
      />
      <datalist id={listId}>
        {suggestions.map((w) => (
          <option key={w} value={w} />
        ))}
      </datalist>
      <ol className="restore-grid">
        {active.map((word, i) => (
          <li key={i}>
            <WordInput
              index={i}
              word={word}
              state={states[i] ?? 'empty'}
              focused={focused === i}
              listId={listId}
              inputRef={(el) => {
                inputs.current[i] = el;
              }}
              onChange={onWordChange(i)}
              onFocus={() => setFocused(i)}
              onBlur={() => completeOnBlur(i)}
            />
          </li>
        ))}
      </ol>
      <p className="hint">{t('restore.pasteHint')}</p>
      {allValid &&
        (checksumOk ? (
          <p className="ok-note" role="status">
            {t('restore.checksumOk')}
          </p>
        ) : (
          <Alert>{t('restore.checksumBad')}</Alert>
        ))}
      {invalidCount > 0 && (
        <p className="hint hint-error">{t('restore.someInvalid', { count: invalidCount })}</p>
      )}
      <Field
        label={t('wallet.nameLabel')}
        value={name}
        maxLength={64}
        onChange={(e) => setName(e.target.value)}
      />
      <SelectField
        label={t('accounts.type')}
        hint={t('accounts.restoreTypeHint')}
        value={accountType}
        options={accountTypeOptions(t)}
        onChange={(e) => setAccountType(e.target.value as AccountType)}
      />
      <PassphraseField value={passphrase} onChange={setPassphrase} />
      <ErrorAlert error={restore.error} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('common.back')}
        </button>
        <button
          type="submit"
          className="button-primary"
          disabled={!checksumOk || name.trim() === '' || restore.busy}
        >
          {t('restore.submit')}
        </button>
      </div>
    </form>
  );
}

function WordInput(props: {
  index: number;
  word: string;
  state: WordState;
  focused: boolean;
  listId: string;
  inputRef: (el: HTMLInputElement | null) => void;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  onFocus: () => void;
  onBlur: () => void;
}) {
  const t = useT();
  const id = useId();
  const { index, word, state, focused } = props;
  // While typing, a prefix of a real word is fine; once the user leaves the box it must be whole.
  const showInvalid = state === 'invalid' || (state === 'partial' && !focused);
  return (
    <div className={`word-input word-${showInvalid ? 'invalid' : state}`}>
      <label htmlFor={id}>{t('restore.wordLabel', { n: index + 1 })}</label>
      <input
        id={id}
        ref={props.inputRef}
        value={word}
        list={props.listId}
        autoComplete="off"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        aria-invalid={showInvalid || undefined}
        aria-describedby={showInvalid ? `${id}-problem` : undefined}
        onChange={props.onChange}
        onFocus={props.onFocus}
        onBlur={props.onBlur}
      />
      {state === 'valid' && (
        <span className="word-ok" aria-hidden="true">
          ✓
        </span>
      )}
      {showInvalid && (
        <span id={`${id}-problem`} className="word-problem">
          {t('restore.notAWord')}
        </span>
      )}
    </div>
  );
}
