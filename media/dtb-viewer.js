// The .dtb viewer's one button: ask the extension to open the decompiled source as a text document.
(function () {
  const vscode = acquireVsCodeApi();
  const b = document.getElementById('open-text');
  if (b) b.addEventListener('click', () => vscode.postMessage({ type: 'openText' }));
})();
