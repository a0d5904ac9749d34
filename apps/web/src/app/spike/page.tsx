'use client';
import dynamic from 'next/dynamic';
const Spike = dynamic(() => import('./spike'), { ssr: false });
export default function Page() { return <Spike />; }
