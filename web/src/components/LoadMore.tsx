// "Load more" for cursor-paginated lists, with a live count of what is shown.
export function LoadMore({ shown, noun, hasMore, isLoading, onLoadMore }: { shown: number; noun: string; hasMore: boolean; isLoading: boolean; onLoadMore: () => void }) {
  return (
    <div className="load-more">
      <p role="status" className="hint">
        {shown === 0 ? '' : `Showing ${shown} ${noun}${hasMore ? '; more available' : ''}.`}
      </p>
      {hasMore ? (
        <button type="button" className="button" onClick={onLoadMore} disabled={isLoading}>
          {isLoading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
