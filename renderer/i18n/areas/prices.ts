/**
 * Text of fiat prices (Settings → Fiat prices, and the fiat beside amounts). English is the
 * reference; Spanish has exactly the same keys and placeholders.
 */
export const pricesEn = {
  'error.PRICE_UNREACHABLE': 'The price source can’t be reached.',
  'error.PRICE_BAD_RESPONSE': 'The price source answered something that is not a price.',

  'prices.title': 'Fiat prices',
  'prices.intro':
    'Show the value in your currency beside bitcoin amounts. Off by default: asking a price server tells it that this computer runs a wallet. Requests go through the proxy when one is set.',
  'prices.source': 'Price source',
  'prices.source.off': 'Off',
  'prices.source.mempool': 'mempool.space (or your own mempool)',
  'prices.source.coinbase': 'Coinbase',
  'prices.sourceName.mempool': 'mempool',
  'prices.sourceName.coinbase': 'Coinbase',
  'prices.currency': 'Currency',
  'prices.mempoolUrl': 'mempool address',
  'prices.mempoolUrlHint':
    'Your own mempool (for example on your node) keeps the question at home: the price is asked from it every 5 minutes.',
  'prices.save': 'Save',
  'prices.loading': 'Asking for the price…',
  'prices.fresh': '1 BTC = {price} {currency} ({source}, {age}).',
  'prices.stale': 'Last price 1 BTC = {price} {currency} ({source}, {age}). {reason}',
  'prices.retry': 'Ask again',
  'prices.age.now': 'just now',
  'prices.age.minutes': '{count} min ago',
  'prices.age.hours': '{count} h ago',
  'prices.age.days': '{count} d ago',

  'fiat.amount': '≈ {value} {currency}',
  'fiat.rateNote': 'Fiat at 1 BTC = {price} {currency} ({source}, {age}).',
  'fiat.rateNoteStale':
    'Fiat at the last price, 1 BTC = {price} {currency} ({source}, {age}): the source can’t be reached.',
};

export const pricesEs: Record<keyof typeof pricesEn, string> = {
  'error.PRICE_UNREACHABLE': 'No se puede conectar con la fuente de precios.',
  'error.PRICE_BAD_RESPONSE': 'La fuente de precios respondió algo que no es un precio.',

  'prices.title': 'Precios en moneda local',
  'prices.intro':
    'Muestra el valor en tu moneda junto a los importes en bitcoin. Desactivado por defecto: pedir un precio le dice al servidor que este ordenador usa una billetera. Las peticiones pasan por el proxy si hay uno.',
  'prices.source': 'Fuente de precios',
  'prices.source.off': 'Desactivado',
  'prices.source.mempool': 'mempool.space (o tu propio mempool)',
  'prices.source.coinbase': 'Coinbase',
  'prices.sourceName.mempool': 'mempool',
  'prices.sourceName.coinbase': 'Coinbase',
  'prices.currency': 'Moneda',
  'prices.mempoolUrl': 'Dirección de mempool',
  'prices.mempoolUrlHint':
    'Tu propio mempool (por ejemplo en tu nodo) mantiene la pregunta en casa: se le pide el precio cada 5 minutos.',
  'prices.save': 'Guardar',
  'prices.loading': 'Pidiendo el precio…',
  'prices.fresh': '1 BTC = {price} {currency} ({source}, {age}).',
  'prices.stale': 'Último precio 1 BTC = {price} {currency} ({source}, {age}). {reason}',
  'prices.retry': 'Preguntar de nuevo',
  'prices.age.now': 'ahora mismo',
  'prices.age.minutes': 'hace {count} min',
  'prices.age.hours': 'hace {count} h',
  'prices.age.days': 'hace {count} d',

  'fiat.amount': '≈ {value} {currency}',
  'fiat.rateNote': 'Moneda local a 1 BTC = {price} {currency} ({source}, {age}).',
  'fiat.rateNoteStale':
    'Moneda local al último precio, 1 BTC = {price} {currency} ({source}, {age}): no se puede conectar con la fuente.',
};
