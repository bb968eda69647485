import { useT } from '../i18n';

/** Recovery words, numbered, in reading order. */
export function WordGrid({ words }: { words: readonly string[] }) {
  const t = useT();
  return (
    <ol className="word-grid" aria-label={t('words.listLabel')}>
      {words.map((word, i) => (
        <li key={i} className="word-cell">
          <span className="word-number" aria-hidden="true">
            {i + 1}
          </span>
          <span className="word">{word}</span>
        </li>
      ))}
    </ol>
  );
}
