/**
 * Multisig screens' text. English is the reference; Spanish must have exactly the same keys
 * (the type below fails to compile otherwise) and the same placeholders (unit test).
 */
export const multisigEn = {
  'error.MULTISIG_INVALID':
    'This multisig setup is not valid: check the number of signatures, the keys’ network, and that every cosigner is a different key.',
  'error.MULTISIG_FORMAT_UNKNOWN':
    'Flash does not recognise this wallet file. It reads descriptors, Coldcard/Sparrow setup files, Specter and Caravan JSON, and BSMS records.',
  'error.MULTISIG_UNKNOWN_SIGNER':
    'This PSBT carries a signature from a key that is not one of this wallet’s cosigners. It was not added.',
  'error.MULTISIG_WRONG_WALLET':
    'This PSBT is for another wallet or another transaction. Import the answer to this payment.',
  'error.MULTISIG_BAD_SIGNATURE': 'A signature in this PSBT does not verify. Nothing was added.',
  'error.MULTISIG_NOT_ENOUGH_SIGNATURES': 'Not enough signatures yet: {have} of {need}.',
  'error.MULTISIG_DEVICE_UNSUPPORTED': 'This device cannot sign for this kind of multisig wallet.',
  'error.MULTISIG_NOT_REGISTERED': 'Register the wallet on this Ledger first.',
  'accounts.type.multisig': 'Multisig vault',
  'accounts.signer.multisig': 'Several signers',
} as const;

export const multisigEs: Record<keyof typeof multisigEn, string> = {
  'error.MULTISIG_INVALID':
    'Esta configuración multifirma no es válida: revisa el número de firmas, la red de las claves y que cada cofirmante sea una clave distinta.',
  'error.MULTISIG_FORMAT_UNKNOWN':
    'Flash no reconoce este archivo de billetera. Lee descriptores, archivos de Coldcard/Sparrow, JSON de Specter y Caravan, y registros BSMS.',
  'error.MULTISIG_UNKNOWN_SIGNER':
    'Este PSBT trae una firma de una clave que no es de ningún cofirmante de esta billetera. No se añadió.',
  'error.MULTISIG_WRONG_WALLET':
    'Este PSBT es de otra billetera u otra transacción. Importa la respuesta a este pago.',
  'error.MULTISIG_BAD_SIGNATURE': 'Una firma de este PSBT no es válida. No se añadió nada.',
  'error.MULTISIG_NOT_ENOUGH_SIGNATURES': 'Aún faltan firmas: {have} de {need}.',
  'error.MULTISIG_DEVICE_UNSUPPORTED':
    'Este dispositivo no puede firmar para este tipo de billetera multifirma.',
  'error.MULTISIG_NOT_REGISTERED': 'Primero registra la billetera en este Ledger.',
  'accounts.type.multisig': 'Bóveda multifirma',
  'accounts.signer.multisig': 'Varios firmantes',
};
