import { redirect } from 'next/navigation';

// The default tenant's flows: where most sessions start.
export default function Home() {
  redirect('/main/flows');
}
