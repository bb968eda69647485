import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

test('Settings shows what the server is; the wallet syncs under protocol 1.6 and 1.4, and a server breaking its protocol is a fault, not a liar', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  const statusBar = page.getByRole('contentinfo', { name: 'Connection status' });
  await expect(statusBar).toContainText('Electrum: Connected');
  const receive = page.getByRole('region', { name: 'Receive' });
  const address = (await qrText(receive.getByRole('img', { name: /QR code for/ }))).replace(
    'QR code for ',
    '',
  );

  const openSettings = () =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const openWallet = () =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Wallet' }).click();
  const serverInfo = page.getByRole('region', { name: 'Server in use' });
  /** The server goes away for a moment and comes back changed; the user presses "Retry now". */
  const reconnectAfter = async (change: () => void) => {
    stack.setFault('down');
    await expect(statusBar).toContainText('Reconnecting');
    change();
    stack.setFault('none');
    await statusBar.getByRole('button', { name: 'Retry now' }).click();
  };

  // The stack offers 1.4-1.6 as Fulcrum 2 does: the wallet speaks 1.6.
  await openSettings();
  await expect(serverInfo).toContainText('flash-stack 0.2');
  await expect(serverInfo.getByRole('definition').nth(2)).toHaveText('1.6');
  await expect(serverInfo).toContainText('1.4 – 1.6');
  await serverInfo.scrollIntoViewIfNeeded();
  await flash.snap('server-info-1.6');

  // A server that stops at 1.4.2 (ElectrumX before 1.18): the wallet follows, and says so.
  await reconnectAfter(() => stack.electrumServer.setProtocol('1.4'));
  await expect(serverInfo.getByRole('definition').nth(2)).toHaveText('1.4.2');
  await expect(serverInfo).toContainText('This server speaks protocol 1.4.2');
  await flash.snap('server-info-1.4');
  await openWallet();
  stack.chain.send(address, 80_000);
  stack.chain.mine(1);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Verified', { exact: true })).toHaveCount(1);

  // A server that claims 1.6 but answers block headers in 1.4's shape: a protocol error, retried
  // and reported as such. Nobody calls it a liar.
  await reconnectAfter(() => {
    stack.electrumServer.setProtocol('1.4-1.6');
    stack.electrumServer.setQuirks(['mixed-shapes']);
    // Two blocks at once: the wallet must ask for headers (one block comes with its notification).
    stack.chain.mine(2);
  });
  await expect(statusBar).toContainText('sent an answer Flash does not understand');
  await expect(statusBar).not.toContainText('Flash stopped using this server');
  await flash.snap('server-protocol-fault');

  stack.electrumServer.setQuirks([]);
  await statusBar.getByRole('button', { name: 'Retry now' }).click();
  await expect(statusBar).toContainText('Electrum: Connected');
  await expect(activity.getByText('Verified', { exact: true })).toHaveCount(1);
});
