/**
 * Text of scanning QR codes with the computer's camera. English is the reference; Spanish has
 * exactly the same keys.
 */
export const scanEn = {
  'scan.button': 'Scan with camera',
  'scan.title': 'Scan a QR code',
  'scan.hint': 'Hold the QR code in front of the camera. The field fills in as soon as it is read.',
  'scan.starting': 'Starting the camera…',
  'scan.video': 'Camera view',
  'scan.progress': 'Animated QR: {received} of {expected} parts read. Keep the camera on it.',
  'scan.close': 'Close',
  'scan.retry': 'Try again',
  'scan.problem.none': 'No camera was found. Connect one and try again, or paste the text instead.',
  'scan.problem.denied':
    'Flash is not allowed to use the camera. Allow camera access in your system or browser settings, then try again.',
  'scan.problem.busy':
    'The camera is in use by another app, or it stopped. Close the other app and try again.',
  'scan.problem.failed': 'The camera could not be started. Try again, or paste the text instead.',
  'scan.partsFailed': 'The animated QR could not be read. Keep scanning, or paste its text instead.',
} as const;

export const scanEs: Record<keyof typeof scanEn, string> = {
  'scan.button': 'Escanear con la cámara',
  'scan.title': 'Escanear un código QR',
  'scan.hint': 'Pon el código QR delante de la cámara. El campo se rellena en cuanto se lee.',
  'scan.starting': 'Encendiendo la cámara…',
  'scan.video': 'Imagen de la cámara',
  'scan.progress': 'QR animado: {received} de {expected} partes leídas. Mantén la cámara sobre él.',
  'scan.close': 'Cerrar',
  'scan.retry': 'Reintentar',
  'scan.problem.none': 'No se encontró ninguna cámara. Conecta una y vuelve a intentarlo, o pega el texto.',
  'scan.problem.denied':
    'Flash no tiene permiso para usar la cámara. Permite el acceso a la cámara en los ajustes del sistema o del navegador y vuelve a intentarlo.',
  'scan.problem.busy':
    'La cámara la está usando otra aplicación, o se ha detenido. Cierra la otra aplicación y vuelve a intentarlo.',
  'scan.problem.failed': 'No se pudo encender la cámara. Vuelve a intentarlo, o pega el texto.',
  'scan.partsFailed': 'No se pudo leer el QR animado. Sigue escaneando, o pega su texto.',
};
