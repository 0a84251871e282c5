(doc) => {
  // The Remove button, in the browser before Python runs: no document chosen -> null (Python
  // asks for one); the user says no -> '__cancelled__' (web.documents.CANCELLED: Python does nothing).
  if (!doc) return null;
  return window.confirm('Remove this document from the index?') ? doc : '__cancelled__';
}
