"""How the runner's kernel managers start and connect to a kernel (jupyter_client's side; the kernel
template itself is :mod:`analysis.report.kernels`, which imports no jupyter_client, so that a run can start
the template before it imports the rest).

- :class:`WarmProvisioner`: a kernel forked from the run's warm template where it can be, else started
  the ordinary way;
- :class:`ReadyClient`: a kernel client that is ready as soon as the kernel is.
"""
import os
import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.provisioning import LocalProvisioner

from analysis.report import kernels


class WarmProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, except that a kernel it can fork from a warm template
    (:class:`analysis.report.kernels.Template`) is forked instead of started as a new interpreter."""

    async def launch_kernel(self, cmd, **kwargs):
        cwd = kwargs.get("cwd") or os.getcwd()
        env = dict(kwargs.get("env") or os.environ)
        if kernels.enabled():
            pid = kernels.template(cwd).fork(cmd, env, kernels.folder_key(cwd))
            if pid is not None:
                self.process = kernels.ForkedKernel(pid)
                self.pid = self.pgid = pid
                self.cwd = cwd
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)


class ReadyClient(AsyncKernelClient):
    """jupyter_client's asynchronous kernel client, ready as soon as the kernel is.

    Like jupyter_client's, it asks the kernel for its info until the kernel replies and the IOPub
    channel shows it is connected: the kernel's ``busy`` and ``idle`` statuses for the request are
    published there, and lost if the channel was still connecting, in which case it asks again.
    jupyter_client waits 0.2 s for them before asking again, and once they came it also waits until
    IOPub has been silent for 0.2 s.  This client ends at the ``idle`` status for its request, and asks
    again as soon as a kernel's ``iopub_welcome`` (sent when the channel connects) has come without
    it: a notebook's kernel is ready about 0.2 to 0.4 s sooner, and nothing is left unread that
    belongs to the notebook (a cell's messages name the cell's own request).
    """

    #: Seconds to wait on IOPub for the end of a kernel-info request before asking again; after the
    #: kernel's welcome on IOPub (the channel connected) a status still missing was lost.
    IOPUB_WAIT, AFTER_WELCOME = 0.2, 0.02

    async def wait_for_ready(self, timeout=None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            reply = await self._reply_to(request, min(1.0, max(0.0, deadline - time.monotonic())))
            if reply is not None and await self._ended_on_iopub(request, deadline):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError(f"the kernel ({self._where()}) died before it answered a kernel-info request")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel ({self._where()}) did not answer a kernel-info request "
                                   f"within {timeout:g} seconds")

    def _where(self) -> str:
        """The kernel's connection file, if known, to name it in an error."""
        return getattr(self, "connection_file", "") or "no connection file"

    async def _reply_to(self, request, timeout):
        """The shell reply to ``request`` within ``timeout`` seconds (others are dropped), or None."""
        end = time.monotonic() + timeout
        while True:
            try:
                msg = await self.shell_channel.get_msg(timeout=max(0.0, end - time.monotonic()))
            except Empty:
                return None
            if msg["parent_header"].get("msg_id") == request and msg["msg_type"] == "kernel_info_reply":
                return msg

    async def _ended_on_iopub(self, request, deadline=float("inf")) -> bool:
        """Whether IOPub shows the kernel's ``idle`` status for ``request``; False once it has been
        quiet for :data:`IOPUB_WAIT` seconds (:data:`AFTER_WELCOME` after the kernel's welcome), or at
        ``deadline`` (a ``time.monotonic()`` value)."""
        wait = self.IOPUB_WAIT
        while time.monotonic() < deadline:
            try:
                msg = await self.iopub_channel.get_msg(timeout=wait)
            except Empty:
                return False
            if msg["msg_type"] == "iopub_welcome":
                wait = self.AFTER_WELCOME
            elif (msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == request
                  and msg["content"].get("execution_state") == "idle"):
                return True
        return False
