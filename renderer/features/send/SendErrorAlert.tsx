import { Alert } from '../../components/Alert';
import { useSendErrorText } from './send-text';

/** Like ErrorAlert, but worded for send errors (address, amount and fee reasons get their own text). */
export function SendErrorAlert({ error }: { error: unknown }) {
  const sendErrorText = useSendErrorText();
  if (!error) return null;
  return <Alert>{sendErrorText(error)}</Alert>;
}
