/**
 * The questions commands ask, behind one small interface: VS Code's dialogs in the product, a scripted
 * answerer in the extension-host tests (set through the exported API), so modal confirmations are tested too.
 */
import * as vscode from 'vscode';

export interface Prompts {
  /** A modal confirmation; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  pickOne<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T[] | undefined>;
  /** A passing notification (copied, deleted…). */
  info(message: string): void;
}

export const vscodePrompts: Prompts = {
  async confirm(message, detail, action) {
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    return answer === action;
  },
  input: (options) => Promise.resolve(vscode.window.showInputBox(options)),
  pickOne: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, { ...options, canPickMany: false })),
  pickMany: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, { ...options, canPickMany: true })),
  info: (message) => void vscode.window.setStatusBarMessage(`$(check) ${message}`, 4000),
};
