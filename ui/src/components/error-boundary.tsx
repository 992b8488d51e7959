import { Component, type ComponentChildren } from "preact";

interface ErrorBoundaryProps {
  /** What failed, in a sentence. */
  label: string;
  children: ComponentChildren;
}

/**
 * Catches a rendering fault below it and shows a short message with "Try again" (render the part
 * again) and "Reload the page", instead of leaving the page blank.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  override componentDidCatch(error: unknown): void {
    console.error("rendering failed", error);
    this.setState({ failed: true });
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div class="render-error" role="alert" data-testid="render-error">
        <p>{this.props.label}</p>
        <div class="render-error-actions">
          <button type="button" class="button button--small" onClick={() => this.setState({ failed: false })}>
            Try again
          </button>
          <button type="button" class="button button--ghost button--small" onClick={() => location.reload()}>
            Reload the page
          </button>
        </div>
      </div>
    );
  }
}
