import type { ElectrumServer } from '../../../shared/contract/electrum';
import { SelectField } from '../../components/Field';
import { useT } from '../../i18n';

type Transport = ElectrumServer['transport'];

/** TLS or plain TCP for one Electrum server (main server and fallbacks alike). */
export function TransportField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Transport;
  onChange: (transport: Transport) => void;
}) {
  const t = useT();
  return (
    <SelectField
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value === 'tcp' ? 'tcp' : 'tls')}
      options={[
        { value: 'tls', label: t('settings.electrumTls') },
        { value: 'tcp', label: t('settings.electrumTcp') },
      ]}
    />
  );
}
