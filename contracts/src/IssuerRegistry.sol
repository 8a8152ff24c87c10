// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.37;

/// @title Causeway issuer-root registry
/// @notice An issuer (the account that sends the transaction) registers the attestation roots
/// it issued, so on-chain verifiers can check that a root was registered by its issuer and is not
/// revoked. The issuer may *claim* a Causeway key id (hash of its public keys) for its account,
/// once. A claim is not a proof: the contract cannot check an Ed25519 signature cheaply, so any
/// account can claim any key id, including another issuer's. Never trust a claim as a binding;
/// trust the attestation's own Ed25519 signature (checked off chain against the issuer keys you
/// trust) and use the claim only to find which account an issuer says it registers roots from
/// (docs/spec/anchoring.md).
contract IssuerRegistry {
    /// @notice Per issuer and root, the block number it was registered at (0: never).
    mapping(address => mapping(bytes32 => uint256)) public registeredAt;
    /// @notice Per issuer and root, whether it was revoked.
    mapping(address => mapping(bytes32 => bool)) public revoked;
    /// @notice The Causeway key id an issuer account claimed (zero: none). Unverified.
    mapping(address => bytes32) public claimedKeyIdOf;

    /// @notice `issuer` registered the attestation root `root`.
    event RootRegistered(address indexed issuer, bytes32 indexed root);
    /// @notice `issuer` revoked the attestation root `root`.
    event RootRevoked(address indexed issuer, bytes32 indexed root);
    /// @notice `issuer` claimed the Causeway key id `keyId` (unverified).
    event KeyIdClaimed(address indexed issuer, bytes32 keyId);

    error AlreadyRegistered();
    error NotRegistered();
    error AlreadyClaimed();
    error ZeroValue();

    /// @notice Claims a Causeway key id for the caller's account (once). Unverified: no proof
    /// of possession of the key is checked, so the claim proves nothing about who holds it.
    function claimKeyId(bytes32 keyId) external {
        if (keyId == bytes32(0)) revert ZeroValue();
        if (claimedKeyIdOf[msg.sender] != bytes32(0)) revert AlreadyClaimed();
        claimedKeyIdOf[msg.sender] = keyId;
        emit KeyIdClaimed(msg.sender, keyId);
    }

    /// @notice Registers an attestation root issued by the caller.
    function register(bytes32 root) external {
        if (root == bytes32(0)) revert ZeroValue();
        if (registeredAt[msg.sender][root] != 0) revert AlreadyRegistered();
        registeredAt[msg.sender][root] = block.number;
        emit RootRegistered(msg.sender, root);
    }

    /// @notice Revokes an attestation root the caller registered.
    function revoke(bytes32 root) external {
        if (registeredAt[msg.sender][root] == 0) revert NotRegistered();
        revoked[msg.sender][root] = true;
        emit RootRevoked(msg.sender, root);
    }

    /// @notice Whether `root` was registered by `issuer` and is not revoked.
    function isValid(address issuer, bytes32 root) external view returns (bool) {
        return registeredAt[issuer][root] != 0 && !revoked[issuer][root];
    }
}
