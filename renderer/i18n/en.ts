import type { ErrorCode } from '../../shared/errors';

/** Every error code must have a message: the type below fails to compile if one is missing. */
type ErrorMessages = Record<`error.${ErrorCode}`, string>;

/**
 * English, the reference language: every other language must have exactly these keys.
 * Placeholders are `{name}`; `es.ts` must keep the same ones (checked by a unit test).
 */
export const en = {
  'number.group': ',',
  'number.decimal': '.',
  'amount.btc': '{value} BTC',
  'amount.sats': '{value} sats',

  'common.continue': 'Continue',
  'common.back': 'Back',
  'common.cancel': 'Cancel',
  'common.confirm': 'Confirm',
  'common.tryAgain': 'Try again',
  'common.saved': 'Saved.',
  'common.advanced': 'Advanced',
  'common.technicalDetails': 'Technical details',

  'app.loading': 'Starting Flash…',
  'app.startFailed': 'Flash could not start',
  'connection.reconnecting': 'Connection to Flash lost. Reconnecting…',

  'noToken.title': 'Open Flash from the link in your terminal',
  'noToken.explain':
    'Flash is running in browser mode. For your safety it only talks to the page opened with the secret link it printed when it started.',
  'noToken.howTo':
    'Start it with the command below and open the full address it prints, including the part after “#”.',
  'noToken.example': 'The address looks like http://127.0.0.1:PORT/#token=…',
  'noToken.rejectedTitle': 'This link is no longer valid',
  'noToken.rejected':
    'Flash refused the connection because the secret in the link does not match. Flash may have been restarted with a new link.',

  'store.title': 'Your wallet data could not be opened',
  'store.explain.STORE_CORRUPT': 'The wallet database file is damaged or is not a Flash database.',
  'store.explain.STORE_NEWER_VERSION':
    'The wallet data was saved by a newer version of Flash, which this version cannot read.',
  'store.explain.STORE_UNAVAILABLE':
    'The wallet data folder could not be read or written (missing, no permission, a full disk, or another Flash is using it).',
  'store.advice.STORE_CORRUPT':
    'Keep a copy of this file. You can restore your money on a fresh profile with your recovery words.',
  'store.advice.STORE_NEWER_VERSION': 'Install the newer version of Flash to open it.',
  'store.advice.STORE_UNAVAILABLE':
    'Check the folder and its permissions, close any other Flash, then try again.',
  'store.path': 'Location',
  'store.untouched': 'Nothing was changed or overwritten: your data is exactly as it was.',

  'onboarding.label': 'Set up Flash',
  'onboarding.welcome.title': 'Welcome to Flash',
  'onboarding.welcome.intro':
    'Flash is a Bitcoin wallet for your computer. Your keys stay on this computer, encrypted with a password only you know.',
  'onboarding.welcome.next':
    'First choose a password, then create a new wallet or restore one from recovery words.',
  'onboarding.password.title': 'Choose a password',
  'onboarding.password.intro':
    'This password unlocks Flash on this computer and encrypts your keys. Nobody can reset it: if you forget it, you will need your recovery words.',
  'onboarding.password.new': 'New password',
  'onboarding.password.repeat': 'Repeat password',
  'onboarding.password.rule': 'At least {min} characters. A few unrelated words make a strong password.',
  'onboarding.password.strength.tooShort': 'Too short',
  'onboarding.password.strength.weak': 'Strength: weak',
  'onboarding.password.strength.fair': 'Strength: fair',
  'onboarding.password.strength.strong': 'Strength: strong',
  'onboarding.password.tooShort': 'The password must have at least {min} characters.',
  'onboarding.password.mismatch': 'The two passwords are not the same.',

  'network.mainnet': 'Mainnet',
  'network.testnet': 'Testnet',
  'network.signet': 'Signet',
  'network.regtest': 'Regtest',
  'network.walletWillBeOn': 'This wallet will be on {network}.',
  'network.realMoney': 'It holds real bitcoin.',
  'network.testMoney': 'Its coins are for testing and have no value.',

  'setup.title': 'Set up your wallet',
  'setup.intro': 'Create a brand-new wallet, or bring back one you already have with its recovery words.',
  'setup.create': 'Create new wallet',
  'setup.createDetail': 'Flash makes new recovery words for you to write down.',
  'setup.restore': 'Restore from recovery words',
  'setup.restoreDetail': 'Type the 12 to 24 words of a wallet you already have.',

  'create.title': 'Create a new wallet',
  'create.lengthLegend': 'How many recovery words?',
  'create.wordsOption': '{count} words',
  'create.lengthHint': '12 words are plenty for most people; 24 words are also fine.',
  'create.wordsTitle': 'Write down your recovery words',
  'create.wordsWarning':
    'Write these words on paper, in this order, and keep them somewhere safe. Anyone who has them can take your money; without them nobody can help you recover it.',
  'create.wordsOnce':
    'They are not shown again during setup. Later you can see them only in Settings, after typing your password.',
  'create.written': 'I have written them down',
  'create.confirmTitle': 'Check your recovery words',
  'create.confirmIntro': 'Type the words at these positions from your written copy.',
  'create.wordNumber': 'Word #{n}',
  'create.showAgain': 'Show the words again',

  'restore.title': 'Restore from recovery words',
  'restore.intro': 'Type your recovery words in order. Suggestions appear as you type.',
  'restore.countLabel': 'Number of words',
  'restore.wordLabel': 'Word {n}',
  'restore.notAWord': 'Not a recovery word',
  'restore.pasteHint': 'You can also paste all the words at once into the first box.',
  'restore.checksumOk': 'These recovery words are valid.',
  'restore.checksumBad':
    'Every word is in the list, but together they are not a valid recovery phrase (checksum mismatch). Check the order and spelling.',
  'restore.someInvalid': '{count} word(s) are not in the recovery word list.',
  'restore.submit': 'Restore wallet',

  'passphrase.label': 'Passphrase (optional)',
  'passphrase.hint':
    'An extra secret added to the recovery words. Leave it empty unless you know you need it: without the exact passphrase the money cannot be recovered.',

  'wallet.defaultName': 'My wallet',
  'wallet.nameLabel': 'Wallet name',
  'wallet.loading': 'Loading wallet…',
  'wallet.fingerprint': 'Fingerprint {fingerprint}',

  'lock.title': 'Flash is locked',
  'lock.intro': 'Type your password to unlock your wallet.',
  'lock.password': 'Password',
  'lock.unlock': 'Unlock',
  'lock.rateLimited': 'Too many wrong passwords. You can try again in {seconds} s.',

  'nav.label': 'Main',
  'nav.wallet': 'Wallet',
  'nav.lightning': 'Lightning',
  'nav.ecash': 'eCash',
  'nav.messages': 'Messages',
  'nav.merchant': 'Merchant',
  'nav.devices': 'Devices',
  'nav.settings': 'Settings',
  'nav.lock': 'Lock',

  'planned.title': 'Not available yet',
  'planned.lightning.what': 'Send and receive bitcoin over Lightning: fast, small payments with low fees.',
  'planned.lightning.how':
    'It will work through the Breez SDK (Liquid) built into Flash, or by connecting a Lightning wallet you already use with Nostr Wallet Connect (NWC).',
  'planned.ecash.what': 'Carry Chaumian eCash (Cashu): private tokens issued by mints you choose.',
  'planned.ecash.how':
    'You will be able to add mints, send and receive tokens, and move money between eCash and Lightning. Every operation is journaled so none is lost if Flash stops midway.',
  'planned.messages.what': 'Private messages over NOSTR with your own NOSTR identity.',
  'planned.messages.how':
    'Direct messages will use NIP-17 private messaging, plus group chats, through relays you choose.',
  'planned.merchant.what': 'A point-of-sale counter for your BTCPay Server store.',
  'planned.merchant.how':
    'Connect with a Greenfield API key to take payments at the counter, print receipts, run rewards and use Bolt cards.',
  'planned.devices.what': 'Keep your savings on a Ledger or Trezor hardware wallet.',
  'planned.devices.how':
    'Connect a device, check receive addresses on its screen, and approve every payment on the device itself.',
  'planned.honest':
    'This page shows no data because the feature is not built yet; nothing here is simulated.',

  'status.label': 'Connection status',
  'status.electrum': 'Electrum:',
  'status.loading': 'checking…',
  'status.unknown': 'status unknown',
  'status.tipHeight': 'Block {height}',
  'status.retryingIn': 'retrying in {seconds} s',
  'status.retryNow': 'Retry now',
  'electrum.state.idle': 'Not connected',
  'electrum.state.connecting': 'Connecting…',
  'electrum.state.connected': 'Connected',
  'electrum.state.backoff': 'Reconnecting',

  'cert.title': 'The Electrum server’s certificate has changed',
  'cert.explain':
    'The server {server} now presents a different TLS certificate from the one Flash trusted before. Flash stopped talking to it.',
  'cert.advice':
    'This can be a normal renewal, or someone intercepting your connection. Trust the new certificate only if you know the server changed it.',
  'cert.trust': 'Trust new certificate',

  'toast.depositReceived': 'Deposit received: {amount} sats (unconfirmed)',
  'toast.depositConfirmed': 'Deposit confirmed: {amount} sats',
  'toast.dismiss': 'Dismiss',

  'sync.starting': 'Syncing…',
  'sync.progress': 'Syncing… {done} of {total}',
  'sync.synced': 'Up to date',
  'sync.syncedAt': 'Up to date · last synced {time}',
  'sync.offline': 'Offline: showing what Flash saved. It will sync when the Electrum server is reachable.',
  'sync.idle': 'Not synced yet',

  'balance.title': 'Balance',
  'balance.confirmed': 'Confirmed',
  'balance.unconfirmed': 'Unconfirmed',

  'receive.title': 'Receive',
  'receive.addressLabel': 'Your bitcoin address',
  'receive.qrAlt': 'QR code for {address}',
  'receive.copy': 'Copy address',
  'receive.path': 'Derivation path:',
  'receive.note': 'Flash shows a fresh address once this one has received money.',
  'copy.copied': 'Copied',
  'copy.failed': 'Could not copy; select the text and copy it by hand.',

  'activity.title': 'Activity',
  'activity.empty': 'No transactions yet.',
  'activity.type': 'Type',
  'activity.amount': 'Amount',
  'activity.status': 'Status',
  'activity.date': 'Date',
  'activity.transaction': 'Transaction',
  'activity.direction.in': 'Received',
  'activity.direction.out': 'Sent',
  'activity.direction.self': 'To yourself',
  'activity.unconfirmed': 'Unconfirmed',
  'activity.confirmations.one': '1 confirmation',
  'activity.confirmations.other': '{count} confirmations',
  'activity.showMore': 'Show more',

  'words.listLabel': 'Recovery words',

  'settings.loading': 'Loading settings…',
  'settings.appearance': 'Language and appearance',
  'settings.language': 'Language',
  'settings.theme': 'Theme',
  'settings.theme.system': 'Same as the system',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
  'settings.networkTitle': 'Network',
  'settings.network': 'Network',
  'settings.networkHint': 'Each network has its own wallets and its own Electrum server.',
  'settings.electrumTitle': 'Electrum server for {network}',
  'settings.electrumHost': 'Host',
  'settings.electrumPort': 'Port',
  'settings.electrumTransport': 'Connection type',
  'settings.electrumTls': 'TLS (encrypted)',
  'settings.electrumTcp': 'TCP (unencrypted)',
  'settings.electrumTcpWarning':
    'Without TLS anyone on the network path can see which addresses you ask about. Use TCP only for a server on this computer or your own network.',
  'settings.electrumInvalid': 'Enter a host name or IP address and a port from 1 to 65535.',
  'settings.electrumSave': 'Save server',
  'settings.security': 'Security',
  'settings.autoLockTitle': 'Auto-lock',
  'settings.autoLockLabel': 'Auto-lock after (minutes)',
  'settings.autoLockHint': 'Flash locks itself after this many minutes without use. 0 turns auto-lock off.',
  'settings.autoLockInvalid': 'Enter a whole number of minutes from 0 to {max}.',
  'settings.autoLockSave': 'Save timeout',
  'settings.passwordTitle': 'Change password',
  'settings.currentPassword': 'Current password',
  'settings.newPassword': 'New password',
  'settings.repeatPassword': 'Repeat new password',
  'settings.changePassword': 'Change password',
  'settings.passwordChanged': 'Password changed.',

  'recovery.title': 'Recovery words',
  'recovery.intro': 'The words that restore this wallet anywhere. Make sure nobody can see your screen.',
  'recovery.noWallet': 'There is no wallet on this network yet.',
  'recovery.show': 'Show recovery words',
  'recovery.askPassword': 'Type your password again to see the recovery words.',
  'recovery.showWords': 'Show words',
  'recovery.warning': 'Anyone who sees these words can take your money. Hide them when you are done.',
  'recovery.hasPassphrase':
    'This wallet also uses a passphrase, which is not shown. You need it too to restore.',
  'recovery.hide': 'Hide',

  'about.title': 'About Flash',
  'about.version': 'Version',
  'about.mode': 'Mode',
  'about.mode.electron': 'Desktop app',
  'about.mode.browser': 'Browser mode',
  'about.platform': 'Platform',
  'about.profile': 'Profile',
  'about.dataDir': 'Data folder',

  'error.BAD_INPUT': 'Flash could not accept that input. Check the fields and try again.',
  'error.UNKNOWN_METHOD': 'This version of Flash does not know that action.',
  'error.FORBIDDEN_SENDER': 'Flash refused a request from an unexpected page.',
  'error.INTERNAL': 'Something went wrong inside Flash. Try again.',
  'error.STORE_CORRUPT': 'The wallet database is damaged.',
  'error.STORE_NEWER_VERSION': 'The wallet data comes from a newer version of Flash.',
  'error.STORE_UNAVAILABLE': 'The wallet data folder cannot be used.',
  'error.VAULT_NOT_SET_UP': 'Flash has no password yet. Finish the setup first.',
  'error.VAULT_ALREADY_SET_UP': 'Flash already has a password.',
  'error.VAULT_LOCKED': 'Flash is locked. Unlock it and try again.',
  'error.VAULT_WRONG_PASSWORD': 'Wrong password. Try again.',
  'error.VAULT_RATE_LIMITED': 'Too many wrong passwords. Wait a moment, then try again.',
  'error.VAULT_WEAK_PASSWORD': 'That password is too weak. Choose a longer one.',
  'error.WALLET_NOT_FOUND': 'That wallet no longer exists.',
  'error.WALLET_EXISTS': 'This wallet is already in Flash.',
  'error.MNEMONIC_BAD_LENGTH': 'A recovery phrase has 12, 15, 18, 21 or 24 words.',
  'error.MNEMONIC_UNKNOWN_WORD': 'One of the words is not in the recovery word list.',
  'error.MNEMONIC_BAD_CHECKSUM': 'These words are not a valid recovery phrase (checksum mismatch).',
  'error.DRAFT_NOT_FOUND':
    'These new words expired (Flash was locked or restarted). Go back and start again.',
  'error.CONFIRMATION_MISMATCH': 'The words you typed do not match. Check your written copy and try again.',
  'error.ELECTRUM_UNREACHABLE': 'Can’t reach the Electrum server.',
  'error.ELECTRUM_TIMEOUT': 'The Electrum server took too long to answer.',
  'error.ELECTRUM_PROTOCOL': 'The Electrum server sent an answer Flash does not understand.',
  'error.ELECTRUM_CERT_CHANGED': 'The Electrum server’s certificate has changed.',
  'error.ELECTRUM_NOT_CONNECTED': 'Not connected to an Electrum server.',
  'error.NOSTR_NO_IDENTITY': 'No NOSTR identity has been set up yet.',
  'error.NOSTR_IDENTITY_EXISTS': 'A NOSTR identity already exists.',
  'error.NOSTR_INVALID_KEY': 'That NOSTR key (npub, nsec, ncryptsec or words) is not valid.',
  'error.NOSTR_WRONG_PASSWORD': 'Wrong password for this encrypted NOSTR key.',
  'error.NOSTR_INVALID_EVENT': 'A NOSTR event was malformed or its signature did not check out.',
  'error.NOSTR_DECRYPT_FAILED': 'A NOSTR message could not be decrypted.',
  'error.NOSTR_CONTENT_TOO_LARGE': 'The message is too long.',
  'error.NOSTR_NO_RELAYS': 'No NOSTR relays are configured for this.',
  'error.NOSTR_RELAY_UNREACHABLE': 'Can’t reach the NOSTR relay.',
  'error.NOSTR_PUBLISH_FAILED': 'No NOSTR relay accepted the message.',
  'error.NOSTR_CONVERSATION_NOT_FOUND': 'That conversation does not exist.',
  'error.NOSTR_NIP05_FAILED': 'The NOSTR address (NIP-05) could not be verified.',
  'error.DESCRIPTOR_INVALID':
    'That output descriptor is not valid. Copy it again exactly as your other wallet exported it.',
  'error.DESCRIPTOR_BAD_CHECKSUM':
    'The descriptor’s checksum does not match: it was changed or mistyped. Copy it again.',
  'error.XPUB_INVALID':
    'That is not a valid extended public key (xpub, ypub or zpub). Copy it again from your other wallet.',
  'error.XPUB_BAD_CHECKSUM':
    'That extended public key has a typo (checksum mismatch). Copy it again from your other wallet.',
  'error.XPUB_WRONG_NETWORK':
    'That key is for a different network than this wallet (mainnet versus testnet).',
  'error.XPUB_IS_PRIVATE':
    'That is a private key, which can spend the money. A watch-only account needs only the public key; to spend, restore the wallet from its recovery words instead.',
  'error.XPUB_TYPE_MISMATCH':
    'That key is for a different address type than the one chosen. Pick the matching account type.',
  'error.ACCOUNT_TYPE_UNSUPPORTED':
    'Flash does not support this kind of account. Use a single-key Legacy, Nested SegWit, Native SegWit or Taproot account.',
  'error.MULTISIG_UNSUPPORTED': 'Multisig accounts are not supported yet. Import a single-signature account.',
} satisfies ErrorMessages & Record<string, string>;

export type MessageKey = keyof typeof en;
/** The shape every translation must have: exactly English's keys. */
export type Messages = Record<MessageKey, string>;
