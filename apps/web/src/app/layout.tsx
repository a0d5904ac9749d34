import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Baton', description: 'Governed, durable infrastructure automation' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
