// After a passkey is added (django-otp-webauthn's event), go back to the security page,
// which lists it with its date.
document.addEventListener("otp_webauthn.register_complete", () => {
  const back = document.querySelector("[data-testid='back-to-security']");
  if (back) window.location.href = back.href;
});
