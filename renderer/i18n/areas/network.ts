/**
 * What Flash says about the Electrum server in use (its software, protocol, features, and fee
 * estimates it cut down). English
 * is the reference; Spanish must have exactly the same keys.
 */
export const networkEn = {
  'network.server.title': 'Server in use',
  'network.server.notConnected': 'Not connected to a server right now.',
  'network.server.address': 'Address',
  'network.server.software': 'Software',
  'network.server.protocol': 'Protocol in use',
  'network.server.protocolRange': 'Protocols it speaks',
  'network.server.pruning': 'Pruning',
  'network.server.pruningNone': 'Keeps every block',
  'network.server.pruningBlocks': 'Keeps the last {blocks} blocks',
  'network.server.packages': 'Package relay (CPFP in one step)',
  'network.server.yes': 'Yes',
  'network.server.notSaid': 'Not advertised',
  'network.server.unknown': 'Not said',
  'network.server.protocolOld':
    'This server speaks protocol {version}. Flash works with it; a server with protocol 1.6 can also send a parent and its child together.',
  'network.fees.inflated':
    'The server suggested {suggested} sat/vB for “{preset}”, more than anything waiting in the mempool pays, so Flash uses {cap} sat/vB. Choose “Custom” to pay more.',
};

export const networkEs: Record<keyof typeof networkEn, string> = {
  'network.server.title': 'Servidor en uso',
  'network.server.notConnected': 'Ahora no hay conexión con ningún servidor.',
  'network.server.address': 'Dirección',
  'network.server.software': 'Software',
  'network.server.protocol': 'Protocolo en uso',
  'network.server.protocolRange': 'Protocolos que habla',
  'network.server.pruning': 'Poda',
  'network.server.pruningNone': 'Guarda todos los bloques',
  'network.server.pruningBlocks': 'Guarda los últimos {blocks} bloques',
  'network.server.packages': 'Envío en paquete (CPFP en un paso)',
  'network.server.yes': 'Sí',
  'network.server.notSaid': 'No lo anuncia',
  'network.server.unknown': 'No lo dice',
  'network.server.protocolOld':
    'Este servidor habla el protocolo {version}. Flash funciona con él; un servidor con el protocolo 1.6 además puede enviar juntos una transacción y su hija.',
  'network.fees.inflated':
    'El servidor sugirió {suggested} sat/vB para «{preset}», más de lo que paga cualquier transacción en espera, así que Flash usa {cap} sat/vB. Elige «Personalizada» para pagar más.',
};
