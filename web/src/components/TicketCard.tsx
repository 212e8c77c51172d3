import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import type { Ticket } from '../api/types.js';

/** One ticket: its place, its QR code (the signed code a scanner verifies) and the code as text. */
export const TicketCard = ({ ticket, sectionName, eventName }: { ticket: Ticket; sectionName: string; eventName: string }) => {
  const [svg, setSvg] = useState<string | undefined>();
  useEffect(() => {
    if (!ticket.code) return;
    QRCode.toString(ticket.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, color: { dark: '#111827', light: '#ffffff' } }).then(
      (s) => setSvg(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(s)}`),
      () => setSvg(undefined),
    );
  }, [ticket.code]);
  const place = ticket.seat ? `Seat ${ticket.seat}` : `Standing, ${sectionName}`;
  return (
    <li class="ticket">
      <div class="ticket-qr">
        {svg ? <img src={svg} width={168} height={168} alt={`QR code of the ticket for ${place}, ${eventName}`} /> : <div class="qr-placeholder" aria-hidden="true" />}
      </div>
      <div class="ticket-body">
        <p class="ticket-place">{place}</p>
        <p class="muted small">{sectionName}</p>
        {ticket.checkedInAt ? <p class="badge badge-neutral">Checked in</p> : null}
        {ticket.code ? (
          <p class="ticket-code">
            <span class="visually-hidden">Ticket code: </span>
            <code>{ticket.code}</code>
          </p>
        ) : null}
      </div>
    </li>
  );
};
