// An error announced at once, such as a list that could not be loaded.
import { errorMessage } from '../api/client.js';

export function ErrorText({ error }: { error: unknown }) {
  return (
    <p role="alert" className="error-text">
      {errorMessage(error)}
    </p>
  );
}
