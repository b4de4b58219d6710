"""The asyncio network backend over TLS: against a local server whose certificate, for
"localhost", comes from a certificate authority made for the test run."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from playground.upstream_network import AsyncioBackend
from tests.accounts.raw_servers import (
    answer_each_request,
    backend_client,
    never_answer,
    raw_server,
    stream_chunks,
)


@dataclass(frozen=True)
class Certificates:
    ca_pem: bytes
    server_chain: Path
    server_key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.server_chain, self.server_key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.ca_pem.decode())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A CA and a server certificate it signed, with every extension a strict verifier wants."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, server_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Playground test CA"))
        .issuer_name(_name("Playground test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    pem = serialization.Encoding.PEM
    (folder / "chain.pem").write_bytes(server.public_bytes(pem) + ca.public_bytes(pem))
    (folder / "key.pem").write_bytes(
        server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return Certificates(ca.public_bytes(pem), folder / "chain.pem", folder / "key.pem")


async def test_a_chunked_answer_streams_over_tls_to_the_name_on_the_certificate(certificates):
    await _chunked_answer_over_tls(certificates)


def test_a_chunked_answer_streams_over_tls_on_uvloop_too(certificates):
    # Daphne serves on uvloop (playground.reactor); the other tests run on asyncio's loop.
    uvloop = pytest.importorskip("uvloop")
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(_chunked_answer_over_tls(certificates))


async def _chunked_answer_over_tls(certificates: Certificates) -> None:
    context = certificates.server_context()
    async with raw_server(stream_chunks, ssl_context=context) as server:
        async with backend_client(verify=certificates.client_context()) as client:
            async with client.stream("GET", f"https://localhost:{server.port}/") as answer:
                parts = [part async for part in answer.aiter_text()]
                ssl_object = answer.extensions["network_stream"].get_extra_info("ssl_object")
    assert "".join(parts) == "".join(f"part {index} " for index in range(20))
    assert len(parts) > 1, "the parts arrive as they are sent, not all at the end"
    assert ssl_object.server_hostname == "localhost"
    assert ssl_object.getpeercert()["subject"] == ((("commonName", "localhost"),),)


async def test_a_tls_connection_is_kept_alive_and_reused(certificates):
    context = certificates.server_context()
    async with raw_server(answer_each_request, ssl_context=context) as server:
        async with backend_client(verify=certificates.client_context()) as client:
            first = await client.get(f"https://localhost:{server.port}/")
            second = await client.get(f"https://localhost:{server.port}/")
            stream = first.extensions["network_stream"]
            # TLS 1.3 session tickets arrive after the handshake; they must not look like a close.
            assert stream.get_extra_info("is_readable") is False
    assert (first.text, second.text) == ("ok", "ok")
    assert server.connections == 1
    assert stream is second.extensions["network_stream"]


async def test_a_certificate_for_another_name_is_refused_with_a_connect_error(certificates):
    """The certificate names only "localhost"; the client asks for 127.0.0.1."""
    context = certificates.server_context()
    async with raw_server(answer_each_request, ssl_context=context) as server:
        async with backend_client(verify=certificates.client_context()) as client:
            with pytest.raises(httpx.ConnectError, match="IP address mismatch"):
                await client.get(f"https://127.0.0.1:{server.port}/")


async def test_a_certificate_from_an_unknown_authority_is_refused_with_a_connect_error(
    certificates,
):
    context = certificates.server_context()
    async with raw_server(answer_each_request, ssl_context=context) as server:
        async with backend_client(verify=ssl.create_default_context()) as client:
            with pytest.raises(httpx.ConnectError, match="certificate verify failed"):
                await client.get(f"https://localhost:{server.port}/")


async def test_a_handshake_that_never_finishes_raises_a_connect_timeout(certificates):
    async with raw_server(never_answer) as server:  # plain TCP: the ClientHello goes unanswered
        timeout = httpx.Timeout(5, connect=0.2)
        async with backend_client(verify=certificates.client_context(), timeout=timeout) as client:
            with pytest.raises(httpx.ConnectTimeout, match="TLS handshake did not finish"):
                await client.get(f"https://localhost:{server.port}/")


async def test_a_read_timer_from_before_starttls_does_not_end_reads_after_it(certificates):
    """A proxy's CONNECT answer is read in plain text, then TLS starts on the same connection:
    the plain stream's timer must not time out the TLS stream's reads."""
    context = certificates.server_context()

    async def greet_then_starttls(reader, writer):
        writer.write(b"hello\n")
        await writer.drain()
        await writer.start_tls(context)
        await asyncio.sleep(0.4)  # longer than the plain read's timeout
        writer.write(b"secret")
        await writer.drain()
        await reader.read()

    async with raw_server(greet_then_starttls) as server:
        plain = await AsyncioBackend().connect_tcp("127.0.0.1", server.port, timeout=1)
        assert await plain.read(100, timeout=0.2) == b"hello\n"
        tls = await plain.start_tls(
            certificates.client_context(), server_hostname="localhost", timeout=1
        )
        try:
            assert await tls.read(100, timeout=2) == b"secret"
        finally:
            await tls.aclose()
