// Copies text to the clipboard and says how it went (for a role="status" line beside the button).
import { useState } from 'react';

export function useCopy(): { copyState: string; copy: (text: string) => Promise<void> } {
  const [copyState, setCopyState] = useState('');
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopyState('Copied to the clipboard.');
    } catch {
      setCopyState('Could not copy automatically: select the text and copy it.');
    }
  }
  return { copyState, copy };
}
